/**
 * The till's customer table, kept in ledger.db so a customer.created event and its row commit
 * together. Phone and email are stored normalised, which is what makes lookups exact.
 */
export const customerMigration = `
  CREATE TABLE customers (
    customer_id        TEXT PRIMARY KEY,
    phone              TEXT UNIQUE,
    email              TEXT UNIQUE,
    name               TEXT,
    marketing_consent  INTEGER NOT NULL,
    created_at         TEXT NOT NULL
  );
`;
