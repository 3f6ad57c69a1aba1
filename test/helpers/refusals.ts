import { expect } from 'vitest';
import { errorBody } from '../../src/contracts/api.ts';
import type { TallyError } from '../../src/core/errors.ts';

/**
 * How tests look at a refusal, written once. `rejection` gives the error a call failed with (and fails
 * the test when it did not fail), so the test can check its kind, field and message. `expectRefusal`
 * checks an HTTP answer is the one error body of contracts/api.ts with the status, code and field
 * expected, and a message a person can read.
 */
export const rejection = async (p: Promise<unknown> | (() => unknown)): Promise<TallyError> => {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as TallyError;
  }
  throw new Error('expected an error');
};

export async function expectRefusal(
  res: { statusCode: number; json(): unknown },
  status: number,
  expected: { error: string; field?: string },
): Promise<void> {
  expect(res.statusCode).toBe(status);
  const body = errorBody.strict().parse(res.json());
  expect(body).toMatchObject(expected);
  expect(body.message.length).toBeGreaterThan(0);
}

/** The error a synchronous call threw (failing the test when it threw none). */
export const thrownBy = (f: () => unknown): TallyError => {
  try {
    f();
  } catch (e) {
    return e as TallyError;
  }
  throw new Error('expected an error');
};
