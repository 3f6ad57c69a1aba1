/**
 * Barcode scanners type like a keyboard: the code's characters a few milliseconds apart, then Enter.
 * This tells such a burst from a person typing, wherever the focus is:
 * - focus outside a text field: every character is kept for the code (nothing else would use it),
 *   so a code keyed in by hand followed by Enter also counts as a scan;
 * - focus inside a text field: the characters go into the field as usual, and only a fast burst
 *   (every gap at most `maxGapMs`, at least `minLength` characters, Enter just as fast, and nothing
 *   typed in the `quietMs` before it) is a scan; the caller then takes the burst back out of the field,
 *   using the context saved with its first key. The quiet rule keeps a person's typing that happens to
 *   speed up at the end from being cut in two: better a missed scan than a wrong code.
 * Pure: the caller feeds key events with their time and acts on the answer.
 */
export interface WedgeKey<C> {
  key: string;
  /** event.timeStamp or performance.now(), in milliseconds */
  time: number;
  /** the focus is in a text field, so the character also lands there */
  editable: boolean;
  /** saved with the first key of a run and handed back with the scan (e.g. the field's old value) */
  context?: C;
  /** Ctrl, Alt or Meta held: a shortcut, never part of a code */
  modified?: boolean;
}

export type WedgeAnswer<C> =
  /** not ours: let the key do what it normally does */
  | { kind: 'pass' }
  /** kept for a code: the caller should stop the key from doing anything else */
  | { kind: 'swallow' }
  /** a complete code; `fromField` is true when its characters were typed into a field to take back */
  | { kind: 'scan'; code: string; fromField: boolean; context: C | undefined };

const CODE_CHAR = /^[0-9A-Za-z\-.+/]$/;

export class WedgeDetector<C = unknown> {
  private chars: string[] = [];
  private times: number[] = [];
  private inField = false;
  private context: C | undefined;
  /** time of the last character seen, whichever run it belonged to */
  private lastCharAt = Number.NEGATIVE_INFINITY;
  /** how long nothing was typed before the current run started */
  private quietBefore = Number.POSITIVE_INFINITY;

  constructor(
    private readonly opts: { maxGapMs: number; minLength: number; quietMs: number } = {
      maxGapMs: 50,
      minLength: 4,
      quietMs: 250,
    },
  ) {}

  feed(k: WedgeKey<C>): WedgeAnswer<C> {
    if (k.modified) {
      this.reset();
      return { kind: 'pass' };
    }
    // Scanners send Shift around capital letters; it is neither a character nor an interruption.
    if (k.key === 'Shift') return { kind: this.inField || this.chars.length === 0 ? 'pass' : 'swallow' };
    if (k.key === 'Enter') return this.enter(k);
    if (k.key.length !== 1 || !CODE_CHAR.test(k.key)) {
      this.reset();
      return { kind: 'pass' };
    }
    const slow = k.time - this.lastCharAt > this.opts.maxGapMs;
    if (this.chars.length === 0 || k.editable !== this.inField || (k.editable && slow)) {
      // A new run; in a field, a person's typing may still be followed by a burst of its own.
      const quiet = k.time - this.lastCharAt;
      this.reset();
      this.inField = k.editable;
      this.context = k.context;
      this.quietBefore = quiet;
    }
    this.lastCharAt = k.time;
    this.chars.push(k.key);
    this.times.push(k.time);
    return { kind: k.editable ? 'pass' : 'swallow' };
  }

  private enter(k: WedgeKey<C>): WedgeAnswer<C> {
    const code = this.chars.join('');
    const last = this.times[this.times.length - 1] ?? Number.NEGATIVE_INFINITY;
    const fromField = this.inField;
    const context = this.context;
    const fast =
      code.length >= this.opts.minLength &&
      k.time - last <= this.opts.maxGapMs &&
      this.quietBefore >= this.opts.quietMs;
    this.reset();
    if (code.length === 0) return { kind: 'pass' };
    if (fromField && !fast) return { kind: 'pass' };
    return { kind: 'scan', code, fromField, context };
  }

  reset(): void {
    this.chars = [];
    this.times = [];
    this.inField = false;
    this.context = undefined;
    this.quietBefore = Number.POSITIVE_INFINITY;
  }
}
