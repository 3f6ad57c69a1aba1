import { afterEach } from 'vitest';

/**
 * Undo steps an end-to-end test registers as it starts things (HQ, tills, folders), run newest first
 * after each test even when it failed, so a failure never leaves a process or a folder behind.
 * Call at the top of the file: `const cleanup = cleanupsAfterEach();` then `cleanup(async () => …)`;
 * what `cleanup` returns forgets that step again, for a test that has already done it itself.
 */
export function cleanupsAfterEach(): (step: () => Promise<void>) => () => void {
  const steps: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of steps.splice(0).reverse()) await step().catch(() => undefined);
  });
  return (step) => {
    steps.push(step);
    return () => {
      const at = steps.indexOf(step);
      if (at >= 0) steps.splice(at, 1);
    };
  };
}
