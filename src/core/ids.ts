import { v7 as uuidv7, validate, version } from 'uuid';

/** Time-ordered ids made offline on any till: sortable, globally unique. */
export const newId = (): string => uuidv7();

export const isUuidV7 = (s: string): boolean => validate(s) && version(s) === 7;

/**
 * A UUIDv7 for a given moment whose random bits come from a seeded generator: sample data (the demo)
 * gets the same ids on every machine. Never for anything a till or HQ makes for real.
 */
export const seededId = (msecs: number, random: () => number): string =>
  uuidv7({ msecs, random: Uint8Array.from({ length: 16 }, () => Math.floor(random() * 256)) });
