/**
 * Every register action has a function key and an Alt+letter (for keyboards and tablets without
 * F-keys). The legend at the bottom of the screen is drawn from this list, so it cannot go stale.
 */
export type Action =
  | 'search'
  | 'qty'
  | 'voidLine'
  | 'discount'
  | 'park'
  | 'return'
  | 'xReport'
  | 'pay'
  | 'closeShift'
  | 'voidSale'
  | 'price'
  | 'customer'
  | 'giftCard'
  | 'drawer'
  | 'newSale';

export interface Shortcut {
  action: Action;
  fKey?: string;
  alt: string;
  label: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { action: 'search', fKey: 'F2', alt: 's', label: 'Search' },
  { action: 'qty', fKey: 'F3', alt: 'q', label: 'Quantity' },
  { action: 'voidLine', fKey: 'F4', alt: 'v', label: 'Void line' },
  { action: 'discount', fKey: 'F5', alt: 'd', label: 'Discount' },
  { action: 'park', fKey: 'F6', alt: 'k', label: 'Park' },
  { action: 'return', fKey: 'F7', alt: 'r', label: 'Return' },
  { action: 'xReport', fKey: 'F8', alt: 'x', label: 'X report' },
  { action: 'pay', fKey: 'F9', alt: 'p', label: 'Pay' },
  { action: 'closeShift', fKey: 'F10', alt: 'z', label: 'Close shift' },
  { action: 'voidSale', alt: 'w', label: 'Void sale' },
  { action: 'price', alt: 'o', label: 'Price override' },
  { action: 'customer', alt: 'c', label: 'Customer' },
  { action: 'giftCard', alt: 'g', label: 'Gift card' },
  { action: 'drawer', alt: 'b', label: 'Drawer' },
  { action: 'newSale', alt: 'n', label: 'New sale' },
];

export function actionFor(e: {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  code?: string;
}): Action | undefined {
  if (e.ctrlKey || e.metaKey) return undefined;
  if (e.altKey) {
    // e.code survives keyboard layouts where Alt+letter types another character (macOS, AltGr).
    const letter = e.code?.startsWith('Key') ? e.code.slice(3).toLowerCase() : e.key.toLowerCase();
    return SHORTCUTS.find((s) => s.alt === letter)?.action;
  }
  return SHORTCUTS.find((s) => s.fKey === e.key)?.action;
}

export const keyLabel = (s: Shortcut): string => s.fKey ?? `Alt+${s.alt.toUpperCase()}`;
