import { v7 as uuidv7, validate, version } from 'uuid';

/** Time-ordered ids made offline on any till: sortable, globally unique. */
export const newId = (): string => uuidv7();

export const isUuidV7 = (s: string): boolean => validate(s) && version(s) === 7;
