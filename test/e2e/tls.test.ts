import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { addUser, issueEnrollmentCode } from '../../src/access/index.ts';
import { enrollWithCodeOverHttp } from '../../src/apps/commands/terminal.ts';
import { type RunningHq, startHq } from '../../src/apps/hq/server.ts';
import { hqEventRegistry } from '../../src/apps/shared/event-registry.ts';
import { pinnedFetch } from '../../src/apps/terminal/pinned-fetch.ts';
import { type RunningTerminal, startTerminal } from '../../src/apps/terminal/start.ts';
import { DASHBOARD_PATHS } from '../../src/contracts/dashboard.ts';
import { createLogger } from '../../src/core/log.ts';
import { seedDemoChain } from '../../src/demo/index.ts';
import { cleanupsAfterEach } from '../helpers/cleanups.ts';
import { catalogOnlyHq, startTestTill } from '../helpers/offline-till.ts';
import { tempDirs } from '../helpers/temp-dirs.ts';
import { signIn as signInAtTill } from '../helpers/till-session.ts';

/**
 * HQ and a till on HTTPS with a certificate made for this test (test-only, self-signed for
 * localhost, two days long): the till trusts only that certificate for HQ (--hq-ca), serves its own
 * register API over HTTPS, and the dashboard's session cookie is Secure. node:crypto cannot make an
 * X.509 certificate, so openssl does; without it these tests are skipped, and say so in their name.
 */
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const logger = createLogger('e2e', 'silent');
const cleanup = cleanupsAfterEach();
const tempDir = tempDirs('tls');

function testOnlyCertificate(dir: string): { certFile: string; keyFile: string } {
  const certFile = join(dir, 'test-only-localhost.crt');
  const keyFile = join(dir, 'test-only-localhost.key');
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=localhost'].concat([
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]),
    { encoding: 'utf8' },
  );
  if (made.status !== 0) throw new Error(`openssl could not make the test certificate: ${made.stderr}`);
  return { certFile, keyFile };
}

describe.skipIf(!hasOpenssl)(
  `HTTPS between tills and HQ${hasOpenssl ? '' : ' (skipped: no openssl on this machine to make a test certificate)'}`,
  () => {
    it('a till pinned to HQ’s certificate enrolls and sends over HTTPS, serves HTTPS itself, and the session cookie is Secure', async () => {
      const dir = tempDir();
      const { certFile, keyFile } = testOnlyCertificate(dir);
      const tls = { cert: readFileSync(certFile), key: readFileSync(keyFile) };
      const hq: RunningHq = await startHq({ port: 0, host: '127.0.0.1', logger, tls });
      cleanup(() => hq.close());
      expect(hq.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      await seedDemoChain(hq.db, hqEventRegistry, { stores: 1, products: 3 });
      await addUser(hq.db, { username: 'ana', displayName: 'Ana', role: 'admin', password: 'ana-password' });
      const pinned = pinnedFetch(readFileSync(certFile));

      // Without the pin, the system's CAs do not know this certificate: nothing is sent.
      await expect(fetch(`${hq.url}/health`)).rejects.toThrow(/fetch failed/);
      const signIn = await pinned(`${hq.url}${DASHBOARD_PATHS.signIn}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ana', password: 'ana-password' }),
      });
      expect(signIn.status).toBe(200);
      expect(signIn.headers.get('set-cookie')).toMatch(/; Secure/);
      expect(signIn.headers.get('strict-transport-security')).toBe('max-age=31536000');

      const { code } = await issueEnrollmentCode(hq.db, { storeId: 'S001', createdBy: 'admin' });
      const enrolled = await enrollWithCodeOverHttp(hq.url, code, pinned);
      const till: RunningTerminal = await startTerminal({
        dataDir: join(dir, 'till'),
        hqUrl: hq.url,
        hqCaFile: certFile,
        token: enrolled.token,
        storeId: enrolled.storeId,
        terminalId: enrolled.terminalId,
        tls,
        host: '127.0.0.1',
        port: 0,
        logger,
        syncIntervalMs: 60_000,
      });
      cleanup(() => till.close());
      expect(till.catalog.store()?.storeId).toBe('S001');
      expect(till.url).toMatch(/^https:/);
      const cashier = await signInAtTill(till);
      const shift = await pinned(`${till.url.replace('127.0.0.1', 'localhost')}/api/v1/shifts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...cashier },
        body: JSON.stringify({ cashierId: 'alice', openingFloatMinor: 0 }),
      });
      expect(shift.status, await shift.clone().text()).toBe(201);
      expect((await till.outbox.flush()).state).toBe('synced');
      const atHq = await hq.db
        .selectFrom('events')
        .select(['seq', 'type'])
        .where('terminal_id', '=', enrolled.terminalId)
        .orderBy('seq')
        .execute();
      // The sign-in, then the shift, over HTTPS.
      expect(atHq.map((e) => [Number(e.seq), e.type])).toEqual([
        [1, 'auth.signed_in'],
        [2, 'shift.opened'],
      ]);
    });
  },
);

describe('a till on the store network', () => {
  it('warns loudly when its register API listens on a network address without TLS', async () => {
    const lines: string[] = [];
    const captured = pino({ level: 'warn' }, { write: (l: string) => void lines.push(l) });
    const till = await startTestTill(catalogOnlyHq([]), { host: '0.0.0.0', logger: captured });
    cleanup(() => till.close());
    const warning = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .find((l) => /without TLS/.test(l.msg));
    expect(warning?.level).toBe(40);
    expect(warning?.msg).toMatch(/Bind it to 127\.0\.0\.1 .*--tls-cert and --tls-key/);
  });

  it('refuses a pinned HQ certificate with an HQ URL that is not https', async () => {
    await expect(
      startTerminal({
        dataDir: tempDir(),
        hqUrl: 'http://hq.test',
        hqCaFile: '/nonexistent/ca.pem',
        token: 'tok',
        storeId: 's1',
        terminalId: 'T1',
        port: 0,
        logger,
      }),
    ).rejects.toMatchObject({ field: '--hq-ca', message: expect.stringContaining('is not https') });
  });
});
