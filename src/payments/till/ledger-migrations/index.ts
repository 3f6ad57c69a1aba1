import type { SchemaMigration } from '../../../db/index.ts';
import { ledger0006CardAttempts } from './0006_card_attempts.ts';

/** The ledger.db steps of card payments: the attempts (0006). */
export const paymentsLedgerMigrations: readonly SchemaMigration[] = [ledger0006CardAttempts];
