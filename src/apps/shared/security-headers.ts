import type { FastifyInstance } from 'fastify';

/**
 * The headers every answer of both apps carries, screens and APIs alike. The register screen and the
 * dashboard are Vite bundles: module scripts, stylesheets and fonts from their own origin, `data:`
 * for the inline favicon and images, fetches to their own API only. Inline styles stay allowed because
 * React's style props and ECharts' tooltips write them; inline scripts, frames, plugins and forms to
 * other sites do not. No page of ours may be framed (clickjacking a till's "issue gift card").
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Adds the security headers to every answer, errors and static files included. */
export function sendSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });
}

/** A year, as browsers expect for HSTS. */
export const HSTS = 'max-age=31536000';

/**
 * Served over HTTPS, an app also tells browsers to come back over HTTPS only, so a manager's session
 * cookie or a cashier's PIN is never sent to a plain-HTTP impostor on the store network.
 */
export function sendHsts(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!reply.hasHeader('strict-transport-security')) reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
