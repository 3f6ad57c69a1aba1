/**
 * The forecast file contract, output side: `series_id,date,mean,p10,p50,p90`, one row per series and day.
 * Written to a temporary file beside the target and renamed, so a failed run leaves no partial output.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { PanelForecast } from './panel.ts';

const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(4));

function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export async function writeForecastCsv(path: string, result: PanelForecast): Promise<void> {
  const tmp = join(dirname(path), `.${Date.now()}-${process.pid}.forecast.tmp`);
  const out = createWriteStream(tmp);
  try {
    const write = async (chunk: string): Promise<void> => {
      if (!out.write(chunk)) await once(out, 'drain');
    };
    await write('series_id,date,mean,p10,p50,p90\n');
    const dates = result.calendar.dates;
    for (const f of result.forecasts) {
      const id = csvField(f.id);
      let buf = '';
      for (let j = 0; j < f.horizon.length; j++) {
        buf += `${id},${dates[f.horizon[j] as number]},${fmt(f.mean[j] as number)},${fmt(f.p10[j] as number)},${fmt(f.p50[j] as number)},${fmt(f.p90[j] as number)}\n`;
      }
      await write(buf);
    }
    out.end();
    await once(out, 'finish');
    await rename(tmp, path);
  } catch (err) {
    out.destroy();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
