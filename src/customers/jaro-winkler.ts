/**
 * Jaro–Winkler similarity (0 = nothing alike, 1 = equal), the usual measure for short names typed by
 * hand: it forgives transposed letters ("Martha"/"Marhta") and weighs a shared beginning, where
 * typing errors are rarest. Written out here (thirty lines, tested against the published examples)
 * rather than taking a dependency for it.
 */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  let outOfOrder = 0;
  let k = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[k]) k++;
    if (a[i] !== b[k]) outOfOrder++;
    k++;
  }
  const m = matches;
  return (m / a.length + m / b.length + (m - outOfOrder / 2) / m) / 3;
}

/** Jaro boosted by the common prefix (up to 4 characters, scaling factor 0.1, as Winkler defined it). */
export function jaroWinkler(a: string, b: string): number {
  const j = jaro(a, b);
  let prefix = 0;
  while (prefix < 4 && prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  return j + prefix * 0.1 * (1 - j);
}
