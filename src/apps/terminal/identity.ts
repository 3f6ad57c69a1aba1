import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { invalid } from '../../core/index.ts';

/**
 * Who this till is, kept in `<dataDir>/terminal.json` so a restart (or a reboot after a power cut)
 * needs no flags: { storeId, terminalId, token, hqUrl }. Values given at start replace the saved ones
 * and are saved again, which is also how a re-enrolled terminal picks up its new token.
 * The file holds the terminal's secret token, so it is written readable by its owner only.
 */
export const terminalIdentitySchema = z.object({
  storeId: z.string().min(1),
  terminalId: z.string().min(1),
  token: z.string().min(1),
  hqUrl: z.string().min(1),
});
export type TerminalIdentity = z.infer<typeof terminalIdentitySchema>;

export const identityFile = (dataDir: string): string => join(dataDir, 'terminal.json');

export function resolveIdentity(dataDir: string, given: Partial<TerminalIdentity>): TerminalIdentity {
  const file = identityFile(dataDir);
  let saved: Partial<TerminalIdentity> = {};
  if (existsSync(file)) {
    const parsed = terminalIdentitySchema.partial().safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw invalid('dataDir', `${file} is not a terminal identity file`);
    saved = parsed.data;
  }
  const defined = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ''));
  const merged = { ...saved, ...defined };
  for (const key of ['storeId', 'terminalId', 'token', 'hqUrl'] as const) {
    if (!merged[key]) throw invalid(key, `not given and not saved in ${file}; enroll the terminal first`);
  }
  const identity = terminalIdentitySchema.parse(merged);
  if (JSON.stringify(identity) !== JSON.stringify({ ...saved })) {
    // Write-then-rename: a crash mid-write must not leave a till that forgot who it is.
    const tmp = `${file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }
  return identity;
}
