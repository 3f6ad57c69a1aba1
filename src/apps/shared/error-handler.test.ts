import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorBody } from '../../contracts/api.ts';
import { conflict, invalid, notFound, TallyError, unauthorized } from '../../core/errors.ts';
import { RefusalError } from './error-handler.ts';
import { createHttpApp } from './http.ts';

/**
 * HQ and the till are both built on createHttpApp, so this one handler is what answers their failures:
 * every status a route can throw comes back as contracts' errorBody, with headers a refusal carries.
 */
async function appThatThrows() {
  const app = await createHttpApp({ title: 't', description: 't', logger: pino({ level: 'silent' }) });
  const thrown: Record<string, () => Error> = {
    400: () => invalid('qty', 'must be positive'),
    401: () => unauthorized(),
    403: () => new TallyError('forbidden', 'store S2 is outside your stores', 'store'),
    404: () => notFound('cart c1', 'cartId'),
    409: () => conflict('the shift is closed', 'shift'),
    429: () => new TallyError('busy', 'one batch at a time', 'terminalId'),
    500: () => new Error('a bug'),
  };
  for (const [status, make] of Object.entries(thrown))
    app.get(`/throws/${status}`, async () => {
      throw make();
    });
  app.get('/refuses', async () => {
    throw new RefusalError(
      429,
      { error: 'rate_limited', message: 'try again in 9 s' },
      { 'retry-after': '9' },
    );
  });
  app.post('/typed', { schema: { body: z.object({ n: z.number() }) } }, async () => ({ ok: true }));
  return app;
}

describe('the shared error handler', () => {
  it('answers every thrown status in the one error body', async () => {
    const app = await appThatThrows();
    for (const status of [400, 401, 403, 404, 409, 429, 500]) {
      const res = await app.inject({ url: `/throws/${status}` });
      expect(res.statusCode).toBe(status);
      expect(() => errorBody.strict().parse(res.json())).not.toThrow();
    }
    expect((await app.inject({ url: '/throws/500' })).json()).toEqual({
      error: 'internal',
      message: 'internal error; see the server log',
    });
    await app.close();
  });

  it('keeps the code and headers of a refusal, and shapes schema, framework and unknown-path errors', async () => {
    const app = await appThatThrows();
    const refused = await app.inject({ url: '/refuses' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('9');
    expect(errorBody.strict().parse(refused.json())).toEqual({
      error: 'rate_limited',
      message: 'try again in 9 s',
    });
    const typed = await app.inject({ method: 'POST', url: '/typed', payload: { n: 'x' } });
    expect(typed.statusCode).toBe(400);
    expect(errorBody.strict().parse(typed.json())).toMatchObject({ error: 'validation', field: 'body.n' });
    const wrongType = await app.inject({
      method: 'POST',
      url: '/typed',
      headers: { 'content-type': 'text/csv' },
      payload: 'n\n1',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(errorBody.strict().parse(wrongType.json())).toMatchObject({ field: 'content-type' });
    const nowhere = await app.inject({ method: 'DELETE', url: '/nowhere?x=1' });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.json()).toEqual({ error: 'not_found', message: 'no route DELETE /nowhere' });
    await app.close();
  });
});
