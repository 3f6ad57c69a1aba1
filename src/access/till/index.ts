/**
 * What of `access` a till loads: checking a PIN against the hash HQ sent. Nothing here reaches HQ's
 * database; the till's sign-in and sessions are the register's (src/sales/till/till-sessions.ts).
 */
export { hashPin, PIN_PATTERN, verifyPin } from '../pin-hash.ts';
