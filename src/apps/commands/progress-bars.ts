import { MultiBar, Presets } from 'cli-progress';

/**
 * Progress on stderr for a long command (the M5 import, a forecast refresh): one bar per step, made when
 * the step first reports, so the steps need not be known up front.
 */
export function stepBars(): {
  update: (step: string, done: number, total: number) => void;
  stop: () => void;
} {
  const bars = new MultiBar({ stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  const bar = new Map<string, ReturnType<MultiBar['create']>>();
  return {
    update: (step, done, total) => {
      let b = bar.get(step);
      if (!b) {
        b = bars.create(total, 0, {}, { format: `${step.padEnd(8)} [{bar}] {value}/{total}` });
        bar.set(step, b);
      }
      b.setTotal(total);
      b.update(done);
    },
    stop: () => bars.stop(),
  };
}
