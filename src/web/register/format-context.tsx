import { createContext, useContext } from 'react';
import { type StoreFormat, storeFormat } from '../../contracts/index.ts';

/**
 * The store's formatter for every date, time and amount on the register (contracts/store-format.ts):
 * the till's store once it is known, the browser's own time zone until then. Nothing on the screen
 * calls toLocale* or Intl itself, so a Berlin till never shows 12/2/2026 or 2:05 PM.
 */
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const FormatContext = createContext<StoreFormat>(storeFormat({ timeZone: browserZone() }));

export const FormatProvider = FormatContext.Provider;

export const useFormat = (): StoreFormat => useContext(FormatContext);

/** The formatter of the till's store (or of the browser's zone before the till has answered). */
export const formatFor = (store: { locale?: string | undefined; timeZone: string } | null | undefined) =>
  storeFormat(store ?? { timeZone: browserZone() });
