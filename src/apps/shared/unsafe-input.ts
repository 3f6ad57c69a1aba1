import { type TextKind, textProblem } from '../../core/index.ts';
import { sendError } from './error-handler.ts';
import type { App } from './http.ts';

/**
 * A backstop under every route's own schema: no request may bring a text that could not be stored or
 * sent on (a NUL, a lone surrogate, a control character, a string longer than a note) or a number a
 * till cannot count exactly, anywhere in its body, query or path — including fields and routes whose
 * schema forgot to say so, and object keys. Route schemas then apply the tighter limit of each field.
 */
export interface UnsafeValue {
  field: string;
  message: string;
}

/** Deeper than any request a register sends; deeper nesting is garbage, refused before it is walked. */
export const MAX_DEPTH = 16;

/** The first value in `input` that no field may hold, named by its path under `root`, or undefined. */
export function findUnsafeValue(
  input: unknown,
  root: string,
  kind: TextKind = 'note',
): UnsafeValue | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: input, path: root, depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      const problem = textProblem(value, kind, { multiline: true });
      if (problem) return { field: path, message: `${path}: ${problem}` };
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value) || Math.abs(value) > Number.MAX_SAFE_INTEGER)
        return { field: path, message: `${path}: ${value} is not a number a till can count exactly` };
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_DEPTH)
        return { field: path, message: `${path}: nests deeper than ${MAX_DEPTH} levels` };
      for (const [key, child] of Object.entries(value)) {
        const keyProblem = textProblem(key, 'name');
        if (keyProblem) return { field: path, message: `${path}: a field name ${keyProblem}` };
        stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}

/** Refuses, with a 400 naming the field, any request carrying a value no route may take. */
export function refuseUnsafeInput(app: App): void {
  app.addHook('preValidation', async (req, reply) => {
    const unsafe =
      findUnsafeValue(req.params, 'params') ??
      findUnsafeValue(req.query, 'querystring') ??
      findUnsafeValue(req.body, 'body');
    if (unsafe) return sendError(reply, 400, { error: 'validation', ...unsafe });
  });
}
