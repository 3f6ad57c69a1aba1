import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { fixedClock } from '../core/clock.ts';
import { openSqlite } from '../db/sqlite.ts';
import { SimulatedProvider } from '../payments/simulated.ts';
import type { StoredValueAuthority } from '../stored-value/client.ts';
import type { CatalogProduct, StoreInfo } from '../sync/wire.ts';
import { openLedger } from './ledger.ts';
import { createRegister, type ItemSource } from './register.ts';
import { parseRegisterConfig, type RegisterConfig, type RegisterConfigInput } from './register-config.ts';
import { tillMigrations } from './schema.ts';

/** The corner shop the sales tests ring up in: prices include VAT, milk at 7 %, wine at 19 %. */
export const cornerShop: StoreInfo = {
  storeId: 's1',
  name: 'Corner Shop',
  address: '1 High Street, Springfield',
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
  taxInclusive: true,
};

export const cornerShopProducts: CatalogProduct[] = [
  {
    sku: 'MILK',
    name: 'Milk 1l',
    barcodes: ['4000000000017'],
    priceMinor: 119,
    taxRateBp: 700,
    active: true,
  },
  { sku: 'WINE', name: 'Red wine', barcodes: [], priceMinor: 899, taxRateBp: 1900, active: true },
  { sku: 'OLD', name: 'Gone', barcodes: [], priceMinor: 100, taxRateBp: 1900, active: false },
  // Sold by weight at €2.49/kg, found by its PLU.
  { sku: 'BANANA', name: 'Bananas', barcodes: ['4011'], priceMinor: 249, taxRateBp: 700, active: true },
  // Weighed at the deli counter and labelled with an in-store EAN-13 carrying item reference 12345.
  {
    sku: 'CHEESE',
    name: 'Gouda from the counter',
    barcodes: ['12345'],
    priceMinor: 1_990,
    taxRateBp: 700,
    active: true,
  },
];

/** A till config for the corner shop: bananas are weighed; everything else is the default. */
export const cornerShopConfig = (over: RegisterConfigInput = {}): RegisterConfig =>
  parseRegisterConfig({ weighedSkus: ['BANANA'], ...over });

/** Looks products up by SKU, as the till's catalog cache would once loaded. */
export const cornerShopItems: ItemSource = {
  lookup: (code) =>
    cornerShopProducts.find(
      (p) => p.sku === code || p.barcodes.some((b) => b.replace(/^0+/, '') === code.replace(/^0+/, '')),
    ),
  store: () => cornerShop,
  search: () => cornerShopProducts,
};

/** The PIN of manager M1, whom every test till has. */
export const MANAGER_PIN = '1234';
/** M1's approval as the register takes it: the manager named, with the PIN. */
export const MANAGER_APPROVAL = { managerId: 'M1', pin: MANAGER_PIN } as const;

const tillDirs: string[] = [];

/** A till on a fresh ledger file at 2026-03-02 10:15 Berlin time, with a helper that rings up a sale. */
export function openTestTill(
  config: RegisterConfig = cornerShopConfig(),
  provider = new SimulatedProvider(),
  storedValueAuthority?: StoredValueAuthority,
) {
  const dir = mkdtempSync(join(tmpdir(), 'tally-till-'));
  tillDirs.push(dir);
  const db = openSqlite(join(dir, 'ledger.db'), tillMigrations);
  const clock = fixedClock('2026-03-02T09:15:00Z');
  const ledger = openLedger({
    db,
    storeId: 's1',
    terminalId: 'T1',
    clock,
    timeZone: () => cornerShop.timeZone,
  });
  const register = createRegister({
    ledger,
    items: cornerShopItems,
    provider,
    clock,
    logger: pino({ level: 'silent' }),
    config,
    ...(storedValueAuthority ? { storedValueAuthority } : {}),
  });
  register.approvals.addManager({ managerId: 'M1', name: 'Maria Manager', pin: MANAGER_PIN });
  const sell = async (lines: [string, number][], tenders: Parameters<typeof register.complete>[1]) => {
    const cart = register.createCart();
    for (const [sku, qty] of lines) register.addLine(cart.id, sku, qty);
    return register.complete(cart.id, tenders);
  };
  return { db, ledger, provider, register, sell, clock };
}

/** Deletes the ledger files made by openTestTill (call from afterEach). */
export function removeTestTills(): void {
  for (const d of tillDirs.splice(0)) rmSync(d, { recursive: true, force: true });
}
