import { useMemo } from 'react';
import { qrModules } from './qr.ts';

/** A QR code as plain SVG: one rect per dark module, with the quiet zone scanners need. */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const modules = useMemo(() => qrModules(text), [text]);
  const quiet = 4;
  const n = modules.length + quiet * 2;
  return (
    <svg
      viewBox={`0 0 ${n} ${n}`}
      width={size}
      height={size}
      role="img"
      aria-label={label}
      data-testid="enroll-qr"
      shapeRendering="crispEdges"
    >
      <rect width={n} height={n} fill="#fff" />
      {modules.flatMap((row, r) =>
        row.map((dark, c) =>
          dark ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: a module's place is its identity
            <rect key={`${r}-${c}`} x={c + quiet} y={r + quiet} width={1} height={1} fill="#000" />
          ) : null,
        ),
      )}
    </svg>
  );
}
