import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RevocationRecord } from '../../sync/till/index.ts';
import { writePrivateFile } from '../shared/private-files.ts';

/**
 * HQ's revocation of this till, kept in `<dataDir>/hq-revocation.json` so a restart and
 * `tally terminal sync-status` (another process) show it too. It is bound to the token HQ refused:
 * a till enrolled again (a new token in terminal.json) starts sending again without anyone deleting it.
 */
export const REVOCATION_FILE = 'hq-revocation.json';

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const stored = z.object({ tokenSha256: z.string(), message: z.string(), detectedAt: z.string() });

export function revocationFile(dataDir: string, token: () => string): RevocationRecord {
  const file = join(dataDir, REVOCATION_FILE);
  return {
    read() {
      if (!existsSync(file)) return null;
      const parsed = stored.safeParse(JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success || parsed.data.tokenSha256 !== hashToken(token())) return null;
      return { message: parsed.data.message, detectedAt: parsed.data.detectedAt };
    },
    record(message, at) {
      const body = { tokenSha256: hashToken(token()), message, detectedAt: at.toISOString() };
      writePrivateFile(file, `${JSON.stringify(body, null, 2)}\n`);
    },
  };
}
