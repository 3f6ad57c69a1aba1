import qrcode from 'qrcode-generator';

/**
 * The dark modules of a QR code for `text`, row by row: drawn as SVG rects by QrCode.tsx (no HTML
 * string is injected into the page). Version chosen to fit (0), error correction M: readable from a
 * screen at a glance, and a damaged print still scans.
 */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}
