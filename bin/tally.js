#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a clone works right after `npm install` with no build step.
import { createRequire } from 'node:module';

// Before tsx loads: on a Node too old it would fail with a message that does not say why.
const tooOld = createRequire(import.meta.url)('../scripts/check-node.cjs').tooOld(process.versions.node);
if (tooOld) {
  console.error(tooOld);
  process.exit(1);
}
const { register } = await import('tsx/esm/api');
register();
await import('../src/apps/cli.ts');
