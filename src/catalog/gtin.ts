/**
 * GS1 identifiers. The one implementation lives in contracts (browser-safe), so the dashboard checks a
 * barcode's check digit as the user types with the very code HQ checks it with.
 */
export {
  GTIN_LENGTHS,
  gtinCheckDigit,
  identifierProblem,
  isValidGtin,
  normalizeGtin,
  withCheckDigit,
} from '../contracts/index.ts';
