import { existsSync, readFileSync } from 'node:fs';
import { invalid } from '../../core/index.ts';
import type { TlsFiles } from './http.ts';

/** The certificate and key to serve HTTPS with, read from their files; undefined for plain HTTP. */
export function readTls(files: { certFile: string; keyFile: string } | undefined): TlsFiles | undefined {
  if (!files) return undefined;
  for (const [option, file] of [
    ['--tls-cert', files.certFile],
    ['--tls-key', files.keyFile],
  ] as const)
    if (!existsSync(file)) throw invalid(option, `${file} does not exist`);
  return { cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) };
}
