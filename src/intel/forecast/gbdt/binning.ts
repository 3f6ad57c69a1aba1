/**
 * Feature binning: every feature becomes a Uint8Array of bin numbers so a histogram has at most 256 cells.
 * Bin 0 is reserved for missing values (NaN, or a negative categorical code), so each split can learn which
 * side missing values go to. Numeric features get quantile bins; categorical features get one bin per
 * frequent integer code and a last "other" bin for rare and unseen codes.
 */

export const MISSING_BIN = 0;
/** Value bins available after the missing bin. */
export const MAX_VALUE_BINS = 255;

export interface NumericMapper {
  kind: 'numeric';
  /** Bin b (1-based) holds values in (upper[b-2], upper[b-1]]; the last upper bound is +Infinity. */
  upper: Float64Array;
  nBins: number;
}

export interface CategoricalMapper {
  kind: 'categorical';
  /** Raw code → bin, for codes 0..lookup.length-1; codes beyond map to `otherBin`. */
  lookup: Uint8Array;
  /** The bin of rare and unseen codes (MISSING_BIN when every seen code has its own bin). */
  otherBin: number;
  nBins: number;
}

export type BinMapper = NumericMapper | CategoricalMapper;

export interface BinningOptions {
  maxBins?: number;
  /** Values looked at per feature to place the quantile bounds (strided over the rows). */
  sampleSize?: number;
}

/** Quantile bounds from a strided sample; a value carrying much mass (zero sales) keeps one bin to itself. */
export function numericMapper(values: Float32Array, opts: BinningOptions = {}): NumericMapper {
  const maxBins = Math.min(opts.maxBins ?? MAX_VALUE_BINS, MAX_VALUE_BINS);
  const sampleSize = opts.sampleSize ?? 200_000;
  const stride = Math.max(1, Math.floor(values.length / sampleSize));
  const sample: number[] = [];
  for (let i = 0; i < values.length; i += stride) {
    const v = values[i] as number;
    if (!Number.isNaN(v)) sample.push(v);
  }
  const sorted = Float64Array.from(sample).sort();
  // Distinct values with their counts.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i] as number;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const upper: number[] = [];
  if (distinct.length <= maxBins) {
    for (let i = 0; i + 1 < distinct.length; i++) upper.push(midpoint(distinct[i]!, distinct[i + 1]!));
  } else {
    // Greedy: close a bin once it holds its fair share of what is left, re-sharing after heavy values.
    let remaining = sorted.length;
    let binsLeft = maxBins;
    let acc = 0;
    for (let i = 0; i + 1 < distinct.length && binsLeft > 1; i++) {
      acc += counts[i]!;
      const target = remaining / binsLeft;
      if (acc >= target || counts[i + 1]! >= target) {
        upper.push(midpoint(distinct[i]!, distinct[i + 1]!));
        remaining -= acc;
        binsLeft--;
        acc = 0;
      }
    }
  }
  upper.push(Number.POSITIVE_INFINITY);
  return { kind: 'numeric', upper: Float64Array.from(upper), nBins: upper.length + 1 };
}

function midpoint(a: number, b: number): number {
  // Float32 inputs: the bound must separate the two float32 values after rounding too.
  const m = Math.fround((a + b) / 2);
  return m >= b ? a : m;
}

/**
 * One bin per code seen at least `minCount` times, most frequent first, up to 254; rare codes and codes
 * never seen in training share the last "other" bin.
 */
export function categoricalMapper(values: Float32Array, minCount = 1): CategoricalMapper {
  const freq = new Map<number, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v) || v < 0) continue;
    const code = Math.trunc(v);
    freq.set(code, (freq.get(code) ?? 0) + 1);
  }
  const kept = [...freq.entries()]
    .filter(([, n]) => n >= minCount)
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_VALUE_BINS - 1);
  const otherBin = kept.length + 1;
  let maxCode = 0;
  for (const [code] of kept) maxCode = Math.max(maxCode, code);
  const lookup = new Uint8Array(maxCode + 1).fill(otherBin);
  kept.forEach(([code], i) => {
    lookup[code] = i + 1;
  });
  return { kind: 'categorical', lookup, otherBin, nBins: otherBin + 1 };
}

export function binOf(mapper: BinMapper, v: number): number {
  if (Number.isNaN(v)) return MISSING_BIN;
  if (mapper.kind === 'categorical') {
    if (v < 0) return MISSING_BIN;
    const code = Math.trunc(v);
    return code < mapper.lookup.length ? (mapper.lookup[code] as number) : mapper.otherBin;
  }
  const upper = mapper.upper;
  let lo = 0;
  let hi = upper.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= (upper[mid] as number)) hi = mid;
    else lo = mid + 1;
  }
  return lo + 1;
}

export interface BinnedData {
  nRows: number;
  /** One Uint8Array of bins per feature, views on one buffer. */
  bins: Uint8Array[];
  /** The same bins row-major (row r's bins at r·nFeatures), for histograms and tree routing. */
  rowMajor: Uint8Array;
}

export function binColumns(columns: Float32Array[], mappers: BinMapper[], nRows: number): BinnedData {
  const buffer = new Uint8Array(nRows * columns.length);
  const bins = columns.map((col, f) => {
    const out = buffer.subarray(f * nRows, (f + 1) * nRows);
    const mapper = mappers[f]!;
    for (let i = 0; i < nRows; i++) out[i] = binOf(mapper, col[i] as number);
    return out;
  });
  const nf = columns.length;
  const rowMajor = new Uint8Array(nRows * nf);
  for (let f = 0; f < nf; f++) {
    const col = bins[f] as Uint8Array;
    for (let i = 0; i < nRows; i++) rowMajor[i * nf + f] = col[i] as number;
  }
  return { nRows, bins, rowMajor };
}

export function fitMappers(
  columns: Float32Array[],
  categorical: ReadonlySet<number>,
  opts: BinningOptions = {},
): BinMapper[] {
  return columns.map((col, f) => (categorical.has(f) ? categoricalMapper(col) : numericMapper(col, opts)));
}
