import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0001Ledger } from './0001_ledger.ts';
import { ledger0002ParkedCarts } from './0002_parked_carts.ts';
import { ledger0003ManagersStoredValueCustomers } from './0003_managers_stored_value_customers.ts';
import { ledger0008PinFailures } from './0008_pin_failures.ts';
import { ledger0010TillSessions } from './0010_till_sessions.ts';
import { ledger0012PromotionOfflineUses } from './0012_promotion_offline_uses.ts';

/** The ledger.db steps the register shipped: ledger and carts, parked carts, managers (with gift cards and customers), PIN lockouts, till sign-in sessions and who did each event, promotion uses given offline (0012). */
export const salesLedgerMigrations: readonly SchemaMigration[] = [
  ledger0001Ledger,
  ledger0002ParkedCarts,
  ledger0003ManagersStoredValueCustomers,
  ledger0008PinFailures,
  ledger0010TillSessions,
  ledger0012PromotionOfflineUses,
];
