/** CSV import of a legacy catalog (Shopify, Square, Lightspeed): upload, dry-run report, apply. */
export function ImportPanel() {
  return null;
}
