import type { Logger } from 'pino';
import type { Clock } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import type { LlmConfig } from '../../reports/index.ts';
import type { Backbone, IngestLimits } from '../../sync/hq/index.ts';
import type { EventRegistry } from '../../sync/index.ts';
import type { App } from '../shared/http.ts';

/**
 * The one shape of an HQ route file: `export const xRoutes: HqRoutes = (app, deps) => { … }`, given the
 * same deps, listed once in server.ts. What a route needs is declared on the route (`config: { access:
 * … }`, decided by access/route-access.ts) and the caller read with `principalOf(req)`.
 */
export interface HqRouteDeps {
  db: HqDb;
  logger: Logger;
  /** Carries accepted events to the projections. */
  backbone: Backbone;
  /** The event types HQ understands and the projections it keeps (apps/shared/event-registry.ts). */
  registry: EventRegistry;
  /** Bounds on till batches. */
  ingest: IngestLimits;
  /** Optional LLM that may rephrase the briefing (never its numbers). */
  llm: LlmConfig | undefined;
  /** "Now" for answers that depend on the time of day (the pace's same-hours comparison). */
  clock: Clock;
}

export type HqRoutes = (app: App, deps: HqRouteDeps) => void | Promise<void>;

/** OpenAPI: the routes that take a bearer token (a session cookie is not described). */
export const bearer = [{ bearer: [] }];
