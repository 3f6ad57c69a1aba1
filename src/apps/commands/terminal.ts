import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { API_BASE, enrollResponseSchema, parseEnrollmentQrText } from '../../contracts/index.ts';
import { createLogger, invalid } from '../../core/index.ts';
import { SimulatedProvider } from '../../payments/index.ts';
import { cardCrashHook, type TallyConfig, tlsPair } from '../config.ts';
import { dataPath, parsePort, parseUrl } from '../options.ts';
import { readTls } from '../shared/tls-files.ts';
import { startTerminal } from '../terminal/index.ts';
import { pinnedFetch } from '../terminal/pinned-fetch.ts';
import { closeOnSignal } from './lifecycle.ts';
import { readFirstLine } from './pin-input.ts';
import { registerManagersCommands } from './terminal-managers.ts';
import { registerSyncStatusCommand } from './terminal-sync.ts';
import { registerRotateTokenCommand } from './terminal-token.ts';
import { registerVerifyLedgerCommand } from './terminal-verify.ts';

/** Asks HQ for a terminal id and token with the admin token: the "plug in a new till" path. */
export async function enrollOverHttp(
  hqUrl: string,
  adminToken: string,
  storeId: string,
  terminalId?: string,
  fetchFn: typeof fetch = fetch,
) {
  const res = await fetchFn(`${hqUrl}${API_BASE}/terminals`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ storeId, ...(terminalId ? { terminalId } : {}) }),
  });
  if (!res.ok)
    throw invalid('--enroll-with', `HQ refused the enrollment (${res.status}): ${await res.text()}`);
  return enrollResponseSchema.parse(await res.json());
}

/** Exchanges a one-time enrollment code from head office for this till's terminal id and token. */
export async function enrollWithCodeOverHttp(hqUrl: string, code: string, fetchFn: typeof fetch = fetch) {
  const res = await fetchFn(`${hqUrl}${API_BASE}/terminals/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  }).catch((err: unknown) => {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    throw invalid('--hq', `cannot reach HQ at ${hqUrl} (${cause ?? (err as Error).message})`);
  });
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { message?: string } | undefined;
    throw invalid('--enroll-code', `HQ refused the code (${res.status}): ${body?.message ?? res.statusText}`);
  }
  return enrollResponseSchema.parse(await res.json());
}

/** The till's fetch for HQ: trusting only `caFile` when given (pinned-fetch.ts). */
function hqFetch(caFile: string | undefined): typeof fetch {
  if (caFile === undefined) return fetch;
  if (!existsSync(caFile)) throw invalid('--hq-ca', `${caFile} does not exist`);
  return pinnedFetch(readFileSync(caFile));
}

interface TerminalOptions {
  data: string;
  hq?: string;
  store?: string;
  terminal?: string;
  token?: string;
  tokenFile?: string;
  enrollWith?: string;
  enrollWithFile?: string;
  enrollCode?: string;
  enrollCodeFile?: string;
  hqCa?: string;
  tlsCert?: string;
  tlsKey?: string;
  port: number;
  host: string;
  allowedHosts?: string[];
  cardOutcome?: 'approve' | 'decline' | 'timeout';
}

/**
 * A secret given to the till's command line: from a file (`--…-file PATH`), from standard input
 * (`-`), or, discouraged, as the value itself, which every user of the machine can read in the
 * process list and which stays in shell history; that way still works but says so.
 */
export async function readSecret(
  value: string | undefined,
  file: string | undefined,
  option: string,
  warn: (msg: string) => void,
): Promise<string | undefined> {
  if (value !== undefined && file !== undefined)
    throw invalid(option, `give it one way: ${option} or ${option}-file`);
  if (file !== undefined) {
    if (!existsSync(file)) throw invalid(`${option}-file`, `${file} does not exist`);
    const secret = readFileSync(file, 'utf8').trim();
    if (secret === '') throw invalid(`${option}-file`, `${file} is empty`);
    return secret;
  }
  if (value === '-') {
    const secret = (await readFirstLine(process.stdin)).trim();
    if (secret === '') throw invalid(option, 'standard input held no token');
    return secret;
  }
  if (value !== undefined)
    warn(
      `${option} with the token itself puts it in the process list and shell history; prefer ${option}-file PATH or ${option} - (standard input)`,
    );
  return value;
}

const hostList = (v: string): string[] =>
  v
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean);

export function registerTerminalCommand(program: Command, config: TallyConfig): void {
  const terminal = program
    .command('terminal')
    .description('run a till: register API, local SQLite ledger, outbox to HQ, catalog cache')
    .option('--data <dir>', 'folder for the ledger, catalog cache and terminal.json', join('.tally', 'till'))
    .option('--hq <url>', 'HQ URL (remembered in terminal.json)', parseUrl('--hq'))
    .option('--store <id>', 'store id')
    .option('--terminal <id>', 'terminal id issued at enrollment')
    .option('--token <token>', 'terminal token issued at enrollment ("-": read it from standard input)')
    .option('--token-file <path>', 'read the terminal token from this file')
    .option(
      '--enroll-with <adminToken>',
      'enroll this till now with HQ admin token (needs --hq and --store); "-": read it from standard input',
    )
    .option(
      '--enroll-with-file <path>',
      'enroll with the admin token kept in this file, e.g. .tally/hq/admin-token',
    )
    .option(
      '--enroll-code <code>',
      'enroll this till now with a one-time code from head office (tally hq tills code; needs --hq); "-": read it from standard input',
    )
    .option('--enroll-code-file <path>', 'enroll with the one-time code kept in this file')
    .option(
      '--hq-ca <file>',
      "trust only this CA certificate (PEM) for HQ's HTTPS (remembered in terminal.json)",
    )
    .option(
      '--tls-cert <file>',
      'serve the register API over HTTPS with this certificate (PEM), with --tls-key',
    )
    .option('--tls-key <file>', 'the key of --tls-cert (PEM)')
    .option('--port <n>', 'HTTP port of the register API', (v) => parsePort(v), 4101)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option(
      '--allowed-hosts <names>',
      'comma-separated host names the register API also answers to (besides localhost and this machine)',
      hostList,
    )
    .option('--card-outcome <outcome>', 'simulated card reader: approve, decline or timeout')
    .action(async (o: TerminalOptions) => {
      const log = createLogger('tally-terminal', config.logLevel);
      const dataDir = dataPath(o.data);
      let { terminal, store } = o;
      const warn = (msg: string) => log.warn(msg);
      let token = await readSecret(o.token, o.tokenFile, '--token', warn);
      const adminToken = await readSecret(o.enrollWith, o.enrollWithFile, '--enroll-with', warn);
      // A code works once and for minutes, so one typed on the command line is no lasting secret.
      const typed = await readSecret(o.enrollCode, o.enrollCodeFile, '--enroll-code', (m) => log.debug(m));
      // A scanned QR from the dashboard carries HQ's address with the code; --hq, when given, wins.
      const scanned = typed ? parseEnrollmentQrText(typed) : undefined;
      const code = scanned?.code ?? typed;
      if (scanned && !o.hq) o.hq = parseUrl('--enroll-code')(scanned.hqUrl);
      // Absolute, since terminal.json remembers it for starts from any folder.
      const caGiven = o.hqCa ?? config.hqCaFile;
      const hqCaFile = caGiven === undefined ? undefined : resolve(caGiven);
      const tls = readTls(tlsPair(o.tlsCert ?? config.tls?.certFile, o.tlsKey ?? config.tls?.keyFile));
      const fetchHq = hqFetch(hqCaFile);
      if (adminToken && code)
        throw invalid('--enroll-code', 'enroll one way: --enroll-code or --enroll-with');
      if (adminToken) {
        if (!o.hq) throw invalid('--hq', 'required with --enroll-with');
        if (!o.store) throw invalid('--store', 'required with --enroll-with');
        const r = await enrollOverHttp(o.hq, adminToken, o.store, o.terminal, fetchHq);
        ({ terminalId: terminal, token, storeId: store } = r);
      } else if (code) {
        if (!o.hq) throw invalid('--hq', 'required with --enroll-code');
        const r = await enrollWithCodeOverHttp(o.hq, code, fetchHq);
        ({ terminalId: terminal, token, storeId: store } = r);
        log.info({ terminalId: terminal, storeId: store }, 'enrolled with the one-time code');
      } else if (!existsSync(join(dataDir, 'terminal.json')) && !(o.hq && store && terminal && token)) {
        throw invalid(
          '--token',
          'a new till needs --hq and --enroll-code (a code from head office), or --hq, --store, --terminal and --token',
        );
      }
      if (o.cardOutcome && !['approve', 'decline', 'timeout'].includes(o.cardOutcome)) {
        throw invalid('--card-outcome', `expected approve, decline or timeout, got "${o.cardOutcome}"`);
      }
      const till = await startTerminal({
        dataDir,
        hqUrl: o.hq,
        token,
        storeId: store,
        terminalId: terminal,
        ...(hqCaFile ? { hqCaFile } : {}),
        ...(tls ? { tls } : {}),
        port: o.port,
        host: o.host,
        ...(o.allowedHosts ? { allowedHosts: o.allowedHosts } : {}),
        logger: log,
        provider: new SimulatedProvider({
          stateFile: join(dataDir, 'card-simulator.json'),
          ...(o.cardOutcome ? { outcome: o.cardOutcome } : {}),
          // The card-crash test kills the till in the worst moment: approved, not yet recorded.
          ...cardCrashHook(config),
        }),
      });
      console.log(
        `Tally till ${till.identity.terminalId} is listening at ${till.url}   (register: ${till.url}/)`,
      );
      closeOnSignal(log, till.close);
    });
  registerManagersCommands(terminal);
  registerSyncStatusCommand(terminal);
  registerRotateTokenCommand(terminal);
  registerVerifyLedgerCommand(terminal);
}
