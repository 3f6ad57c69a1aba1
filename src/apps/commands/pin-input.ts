import { invalid } from '../../core/index.ts';

/** The first line of a stream (a PIN piped in with --pin-stdin), without its line ending. */
export async function readFirstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

/**
 * Asks for a secret on the terminal without echoing it: raw mode, so the typed digits never reach the
 * screen or the scrollback. Backspace edits, Ctrl-C and Ctrl-D give up.
 */
export function promptHidden(question: string, tty: NodeJS.ReadStream = process.stdin): Promise<string> {
  return new Promise((resolve, reject) => {
    process.stderr.write(question);
    let value = '';
    const done = (err?: Error): void => {
      tty.setRawMode(false);
      tty.pause();
      tty.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: Buffer | string): void => {
      for (const ch of String(chunk)) {
        if (ch === '\r' || ch === '\n') {
          done();
          return;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          done(invalid('pin', 'cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    tty.setRawMode(true);
    tty.resume();
    tty.on('data', onData);
  });
}

/** A new PIN from the terminal, typed twice so a slip of the finger does not lock a manager out. */
export async function promptNewPin(): Promise<string> {
  if (!process.stdin.isTTY)
    throw invalid('--pin-stdin', 'no terminal to ask for the PIN on; pipe it in with --pin-stdin');
  const pin = await promptHidden('PIN (4–8 digits): ');
  if ((await promptHidden('PIN again: ')) !== pin) throw invalid('pin', 'the two PINs differ');
  return pin;
}
