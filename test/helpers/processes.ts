import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../bin/tally.js', import.meta.url));

/** One `tally …` run to its end, as a user's shell would: exit code, standard output and error. */
export function runTally(args: readonly string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A port nobody listens on right now, so a restarted server can come back on the same address. */
export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  url: string;
  output: () => string;
  /** SIGKILL: no shutdown hooks run, exactly like a power cut. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `tally <args>` as a child process and resolves once it logs the line with msg "listening";
 * the log line carries the URL it serves.
 */
export async function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, TALLY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    // Logs go to standard error (JSON when not on a terminal); each stream is read line by line.
    const lines = (stream: NodeJS.ReadableStream | null): void => {
      let partial = '';
      stream?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const text = partial + chunk.toString();
        const complete = text.split('\n');
        partial = complete.pop() ?? '';
        for (const line of complete) {
          if (!line.startsWith('{')) continue;
          try {
            const rec = JSON.parse(line) as { msg?: string; url?: string };
            if (rec.msg === 'listening' && rec.url) resolve(rec.url);
          } catch {
            // not a log record
          }
        }
      });
    };
    lines(child.stdout);
    lines(child.stderr);
    child.once('exit', (code) =>
      reject(new Error(`tally ${args[0]} exited with ${code} before listening:\n${out}`)),
    );
  });
  return {
    child,
    url,
    output: () => out,
    kill: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
