import type { Command } from 'commander';

export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description('run the benchmarks and print their figures (same as npm run bench)')
    .action(async () => {
      // Benchmarks live outside src/ and are loaded only when asked for.
      const { runBenchmarks } = await import('../../../bench/run.ts');
      await runBenchmarks();
    });
}
