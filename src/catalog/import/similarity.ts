/**
 * How alike two product names are, for consolidating catalogs that share no barcode. Names are
 * normalised (case, accents, "&", "500 ml" → "500ml", punctuation) into tokens; the score is a
 * weighted Dice coefficient over tokens, where tokens with digits or of one or two letters (sizes,
 * volumes, "M", "XL") weigh three times as much: "Tee Blue M" and "Tee Blue L" are different
 * products, while "Clasic Tee" and "Classic Tee" are one product with a typo. Pure and symmetric.
 */
export function nameTokens(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/(\d)\s+(ml|cl|l|g|kg|oz|lb|cm|mm|pk|ct|pack)\b/g, '$1$2')
    .replace(/(\d),(\d)/g, '$1.$2')
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/(^|[^\d])\.|\.(?!\d)/g, '$1 ')
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '');
}

const weight = (t: string): number => (/\d/.test(t) || t.length <= 2 ? 3 : 1);

function bigrams(t: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length - 1; i++) out.push(t.slice(i, i + 2));
  return out;
}

/** Dice coefficient over character bigrams: 1 for equal words, high for a one-letter typo. */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = bigrams(a);
  const y = bigrams(b);
  if (x.length === 0 || y.length === 0) return 0;
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let hits = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      hits++;
      pool.set(g, n - 1);
    }
  }
  return (2 * hits) / (x.length + y.length);
}

export function nameSimilarity(a: readonly string[], b: readonly string[]): number {
  const wa = a.reduce((s, t) => s + weight(t), 0);
  const wb = b.reduce((s, t) => s + weight(t), 0);
  if (wa + wb === 0) return 0;
  const used = new Array<boolean>(b.length).fill(false);
  let matched = 0;
  const fuzzy: string[] = [];
  for (const t of a) {
    const j = b.findIndex((u, k) => !used[k] && u === t);
    if (j >= 0) {
      used[j] = true;
      matched += weight(t);
    } else fuzzy.push(t);
  }
  // Only plain words of five letters or more may match with a typo; sizes and numbers never do.
  for (const t of fuzzy) {
    if (t.length < 5 || weight(t) > 1) continue;
    let best = -1;
    let bestScore = 0.8;
    b.forEach((u, k) => {
      if (used[k] || u.length < 5 || weight(u) > 1) return;
      const s = wordSimilarity(t, u);
      if (s >= bestScore) {
        best = k;
        bestScore = s;
      }
    });
    if (best >= 0) {
      used[best] = true;
      matched += bestScore;
    }
  }
  return (2 * matched) / (wa + wb);
}
