/**
 * Hostile requests generated from an app's own /openapi.json, so a fuzz test covers every route and
 * every field the API documents, including routes added after the test was written. For each
 * operation it builds a plausible request (required fields filled from `known` values or the schema),
 * then yields one request per field and hostile value: NUL, lone surrogates, 100k characters, control
 * characters, numbers past 2^53, negatives, fractions, wrong types, deep nesting, JSON that JavaScript
 * turns into Infinity.
 */

// biome-ignore lint/suspicious/noExplicitAny: JSON Schema from fastify-swagger is untyped JSON
type JsonSchema = Record<string, any>;

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, e.g. /api/v1/carts/{cartId}. */
  path: string;
  params: Param[];
  body: JsonSchema | undefined;
}

export interface FuzzRequest {
  /** What was changed, for the failure message: `POST /api/v1/shifts body.cashierId = "a\0b"`. */
  label: string;
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  /** A JSON text (so it may hold 1e400), or undefined for no body. */
  payload: string | undefined;
}

export function operationsOf(doc: { paths: Record<string, Record<string, JsonSchema>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        params: ((op.parameters ?? []) as Param[]).map((p) => ({ ...p, required: Boolean(p.required) })),
        body: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

/** Values a field takes in the plausible request, by its name; the schema decides the rest. */
export type Known = (name: string) => unknown;

const variants = (s: JsonSchema): JsonSchema[] => s.oneOf ?? s.anyOf ?? [];

/** A value the schema accepts (the first variant, the first enum value, the default). */
export function sample(s: JsonSchema, name: string, known: Known): unknown {
  const k = known(name);
  if (k !== undefined) return k;
  if (variants(s).length > 0) return sample(variants(s)[0]!, name, known);
  if (s.enum) return s.enum[0];
  if (s.const !== undefined) return s.const;
  if (s.default !== undefined) return s.default;
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const key of (s.required ?? []) as string[])
        out[key] = sample(s.properties?.[key] ?? {}, key, known);
      return out;
    }
    case 'array':
      return [sample(s.items ?? {}, name, known)];
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string':
      return 'x';
    default:
      return 'x';
  }
}

export const HOSTILE_TEXT: readonly string[] = [
  'a\u0000b',
  '\ud800',
  'x\udc00y',
  'x'.repeat(100_000),
  'x'.repeat(65),
  '\u001b[31mred',
  'bell\u0007',
  'del\u007f',
  'two\nlines',
  '',
  ' ',
];
const NESTED = JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`) as unknown;
export const HOSTILE_NUMBERS: readonly number[] = [
  1e300,
  -1e300,
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  -1,
  0,
  0.5,
  1e21,
];
export const WRONG_TYPES: readonly unknown[] = [null, true, {}, [], 'NaN', '1e400', { $gt: '' }, NESTED];
/** Number literals JSON allows and JavaScript turns into Infinity or -Infinity. */
export const OVERFLOWING_LITERALS = ['1e400', '-1e400'] as const;

type Step = string | number;

/** Every field of a body schema, optional ones too, with its path and schema (first variant of unions). */
export function fieldsOf(s: JsonSchema, path: Step[] = []): { path: Step[]; schema: JsonSchema }[] {
  const v = variants(s);
  if (v.length > 0) return v.flatMap((x) => fieldsOf(x, path)).filter(uniquePaths());
  const here = path.length > 0 ? [{ path, schema: s }] : [];
  if (s.type === 'object')
    return [
      ...here,
      ...Object.entries((s.properties ?? {}) as Record<string, JsonSchema>).flatMap(([k, child]) =>
        fieldsOf(child, [...path, k]),
      ),
    ];
  if (s.type === 'array') return [...here, ...fieldsOf(s.items ?? {}, [...path, 0])];
  return here;
}
const uniquePaths = () => {
  const seen = new Set<string>();
  return (f: { path: Step[] }) => {
    const key = f.path.join('.');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
};

const hostileFor = (s: JsonSchema): unknown[] => {
  const t = s.type ?? variants(s)[0]?.type;
  if (t === 'string') return [...HOSTILE_TEXT, ...WRONG_TYPES.slice(0, 4), 12];
  if (t === 'number' || t === 'integer') return [...HOSTILE_NUMBERS, ...WRONG_TYPES];
  return [...WRONG_TYPES, 'a\u0000b', 1e300];
};

/**
 * A body the schema accepts except, perhaps, at `path`, which holds `value`: along the path, the
 * union variant that has the next key is taken and optional objects are filled in, so the value is
 * where a real client would put it (a card tender's amount, a count inside an optional drawer count).
 */
export function sampleAlong(
  s: JsonSchema,
  path: Step[],
  value: unknown,
  known: Known,
  name = 'body',
): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const v = variants(s);
  if (v.length > 0) {
    const fits = v.find((x) =>
      typeof head === 'number' ? x.type === 'array' : x.properties?.[head!] !== undefined,
    );
    return sampleAlong(fits ?? v[0]!, path, value, known, name);
  }
  if (typeof head === 'number') return [sampleAlong(s.items ?? {}, rest, value, known, name)];
  const out = { ...(sample({ ...s, default: undefined }, name, () => undefined) as Record<string, unknown>) };
  for (const [k, v2] of Object.entries(out)) {
    const kv = known(k);
    if (kv !== undefined) out[k] = kv;
    else out[k] = v2;
  }
  out[head!] = sampleAlong(s.properties?.[head!] ?? {}, rest, value, known, head!);
  return out;
}

/** The plausible request of an operation with one body field set to `value`. */
export function requestWith(op: Operation, known: Known, path: Step[], value: unknown): FuzzRequest {
  const first = requestsFor(op, known).next();
  if (first.done || !op.body) throw new Error(`no request with a body for ${op.method} ${op.path}`);
  return {
    ...first.value,
    label: `${op.method} ${op.path} body.${path.join('.')} = ${String(value)}`,
    payload: JSON.stringify(sampleAlong(op.body, path, value, known)),
  };
}

const MARK = '__fuzz_literal__';

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate (which encodeURIComponent refuses)
 * goes as its three WTF-8 bytes, which is what a hostile client can put on the wire.
 */
export function encodeAny(text: string): string {
  let out = '';
  for (const ch of text) {
    const u = ch.codePointAt(0)!;
    if (u >= 0xd800 && u <= 0xdfff)
      out += [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
        .map((b) => `%${b.toString(16).toUpperCase()}`)
        .join('');
    else out += encodeURIComponent(ch);
  }
  return out;
}

/** The plausible request of an operation, and one hostile variant per field and value. */
export function* requestsFor(op: Operation, known: Known): Generator<FuzzRequest> {
  const base = {
    path: Object.fromEntries(
      op.params.filter((p) => p.in === 'path').map((p) => [p.name, String(sample(p.schema, p.name, known))]),
    ),
    query: Object.fromEntries(
      op.params
        .filter((p) => p.in === 'query' && p.required)
        .map((p) => [p.name, String(sample(p.schema, p.name, known))]),
    ) as Record<string, string>,
    body: op.body ? sample(op.body, 'body', known) : undefined,
  };
  const build = (
    label: string,
    over: { path?: Record<string, string>; query?: Record<string, string>; headers?: Record<string, string> },
    payload: string | undefined = base.body === undefined ? undefined : JSON.stringify(base.body),
  ): FuzzRequest => {
    const pathParams = { ...base.path, ...over.path };
    const url = op.path.replace(/\{(\w+)\}/g, (_, n: string) => encodeAny(pathParams[n] ?? 'x'));
    const qs = Object.entries({ ...base.query, ...over.query })
      .map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`)
      .join('&');
    return {
      label: `${op.method} ${op.path} ${label}`,
      method: op.method,
      url: qs ? `${url}?${qs}` : url,
      headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...over.headers },
      payload,
    };
  };
  const show = (v: unknown) => {
    const text = JSON.stringify(v) ?? String(v);
    return text.length > 40 ? `${text.slice(0, 40)}…(${text.length})` : text;
  };

  yield build('as documented', {});
  for (const p of op.params) {
    for (const v of HOSTILE_TEXT) {
      const label = `${p.in}.${p.name} = ${show(v)}`;
      if (p.in === 'path') yield build(label, { path: { [p.name]: v } });
      else if (p.in === 'query') yield build(label, { query: { [p.name]: v } });
      // Node's HTTP parser refuses control characters and non-Latin-1 in headers before any route.
      else if (/^[\x20-\x7e]*$/.test(v)) yield build(label, { headers: { [p.name]: v } });
    }
    if (p.in === 'query')
      for (const v of ['1e400', '-1', 'NaN', '9007199254740993'])
        yield build(`query.${p.name} = ${v}`, { query: { [p.name]: v } });
  }
  if (!op.body) return;
  for (const garbage of [...WRONG_TYPES, 'a\u0000b', 1e300])
    yield build(`body = ${show(garbage)}`, {}, JSON.stringify(garbage));
  for (const field of fieldsOf(op.body)) {
    const where = `body.${field.path.join('.')}`;
    for (const v of hostileFor(field.schema))
      yield build(`${where} = ${show(v)}`, {}, JSON.stringify(sampleAlong(op.body, field.path, v, known)));
    const t = field.schema.type ?? variants(field.schema)[0]?.type;
    if (t === 'number' || t === 'integer')
      for (const lit of OVERFLOWING_LITERALS)
        yield build(
          `${where} = ${lit}`,
          {},
          JSON.stringify(sampleAlong(op.body, field.path, MARK, known)).replace(`"${MARK}"`, lit),
        );
  }
}
