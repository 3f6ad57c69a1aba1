import { TallyError } from '../core/index.ts';

/** 403: the caller is known but may not do this; the message says what they lack and where. */
export const forbidden = (message: string, field?: string): TallyError =>
  new TallyError('forbidden', message, field);
