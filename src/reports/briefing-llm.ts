/** Digits with an optional decimal part; thousands separators are dropped first ("1,234.5" → "1234.5"). */
export function numbersIn(text: string): string[] {
  const plain = text.replace(/(\d)[,\u202f\u00a0'](?=\d{3}\b)/g, '$1');
  return (plain.match(/\d+(?:\.\d+)?/g) ?? []).map((n) => n.replace(/^0+(?=\d)/, ''));
}

/**
 * Pure: the rephrasing keeps only numbers the template already says. Any other number (an invented
 * figure, a changed one, a rounded one) makes the whole rephrasing unusable.
 */
export function rephrasingIsFaithful(template: string, rephrased: string): boolean {
  if (rephrased.trim().length === 0) return false;
  const allowed = new Set(numbersIn(template));
  return numbersIn(rephrased).every((n) => allowed.has(n));
}

/** Set from TALLY_LLM_URL, TALLY_LLM_KEY and TALLY_LLM_MODEL at start (src/apps/config.ts). */
export interface LlmConfig {
  /** OpenAI-compatible base URL (…/v1) or the full /chat/completions URL. */
  url: string;
  key: string;
  model: string;
  timeoutMs: number;
}

const endpoint = (url: string): string =>
  /\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/chat/completions`;

const PROMPT =
  'Rewrite this store manager briefing as a short, friendly note. Keep every action and keep every number ' +
  'exactly as written; do not add, round or compute any number, and do not add dates or percentages. ' +
  'Plain text, no markdown.';

/**
 * Asks the LLM to rephrase the template; returns the rephrasing only when it is faithful, else
 * undefined (the caller keeps the template). Never throws: the dashboard works without the LLM.
 */
export async function rephraseBriefing(
  template: string,
  cfg: LlmConfig,
  opts: {
    fetch?: typeof fetch;
    logger?: Pick<Console, 'warn'> | { warn(obj: unknown, msg?: string): void };
  } = {},
): Promise<string | undefined> {
  const doFetch = opts.fetch ?? fetch;
  try {
    const res = await doFetch(endpoint(cfg.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${cfg.key}` },
      body: JSON.stringify({
        model: cfg.model,
        temperature: 0.2,
        messages: [
          { role: 'system', content: PROMPT },
          { role: 'user', content: template },
        ],
      }),
      signal: AbortSignal.timeout(cfg.timeoutMs),
    });
    if (!res.ok) {
      opts.logger?.warn({ status: res.status }, 'briefing LLM refused; keeping the template');
      return undefined;
    }
    const body = (await res.json()) as { choices?: { message?: { content?: unknown } }[] };
    const text = body.choices?.[0]?.message?.content;
    if (typeof text !== 'string') return undefined;
    if (!rephrasingIsFaithful(template, text)) {
      opts.logger?.warn('briefing LLM changed or invented a number; keeping the template');
      return undefined;
    }
    return text.trim();
  } catch (err) {
    opts.logger?.warn({ err }, 'briefing LLM unreachable; keeping the template');
    return undefined;
  }
}
