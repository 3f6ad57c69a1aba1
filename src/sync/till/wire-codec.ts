import { gunzipSync, gzipSync } from 'node:zlib';
import type { IngestBatch } from '../../contracts/index.ts';

/** A batch on the wire is gzip JSON (Content-Encoding: gzip); the schema lives in contracts/wire.ts. */
export const encodeBatch = (batch: IngestBatch): Buffer => gzipSync(JSON.stringify(batch));
export const decodeBatch = (body: Buffer): unknown => JSON.parse(gunzipSync(body).toString('utf8'));
