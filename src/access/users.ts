import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ROLES, type Role, type SessionUser } from '../contracts/index.ts';
import { conflict, invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';

/** Kysely types of the people tables (migration 0006), joined onto HQ's schema with withTables. */
export type AccessTables = {
  districts: { id: string; name: string };
  district_stores: { district_id: string; store_id: string };
  users: {
    username: string;
    display_name: string;
    role: Role;
    password_hash: string;
    district_id: string | null;
    active: boolean;
    created_at: Date;
  };
  user_stores: { username: string; store_id: string };
  sessions: { token_hash: string; username: string; created_at: Date; expires_at: Date };
};

export const acc = (db: HqDb) => db.withTables<AccessTables>();

// scrypt with N=2^15 costs ~50 ms and 32 MiB here: slow for a guesser, fine for a person signing in.
const N = 32_768;
const R = 8;
const P = 1;
const KEY_LEN = 32;
const MAXMEM = 64 * 1024 * 1024;

const derive = (password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { N: n, r, p, maxmem: MAXMEM }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );

/** `scrypt$N$r$p$salt$key` (base64url), so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  if (alg !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const got = await derive(password, Buffer.from(salt, 'base64url'), Number(n), Number(r), Number(p));
  return got.length === expected.length && timingSafeEqual(got, expected);
}

// Checked against when the username is unknown, so a wrong name costs the same time as a wrong password.
let dummyHash: Promise<string> | undefined;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'use letters, digits, ".", "_" or "-" (at most 64)');

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  password: z.string().min(8, 'at least 8 characters').max(1000),
  stores: z.array(z.string().min(1)).default([]),
  districtId: z.string().min(1).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/**
 * Adds a user. Store-bound roles must name their stores and a district manager its district (or
 * stores), so nobody is created who would see nothing, or, worse, everything by mistake.
 */
export async function addUser(db: HqDb, input: NewUser): Promise<SessionUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') || 'user', issue?.message ?? 'invalid');
  }
  const u = parsed.data;
  if ((u.role === 'associate' || u.role === 'store_manager') && u.stores.length === 0)
    throw invalid('stores', `a ${u.role} needs at least one store`);
  if (u.role === 'district_manager' && !u.districtId && u.stores.length === 0)
    throw invalid('districtId', 'a district manager needs a district or stores');
  const known = new Set((await db.selectFrom('stores').select('id').execute()).map((s) => s.id));
  for (const s of u.stores) if (!known.has(s)) throw notFound(`store ${s}`, 'stores');
  if (u.districtId) {
    const d = await acc(db)
      .selectFrom('districts')
      .select('id')
      .where('id', '=', u.districtId)
      .executeTakeFirst();
    if (!d) throw notFound(`district ${u.districtId}`, 'districtId');
  }
  const passwordHash = await hashPassword(u.password);
  await db.transaction().execute(async (trx) => {
    const inserted = await acc(trx)
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        role: u.role,
        password_hash: passwordHash,
        district_id: u.districtId ?? null,
        active: true,
        created_at: new Date(),
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('username')
      .executeTakeFirst();
    if (!inserted) throw conflict(`user ${u.username} already exists`, 'username');
    if (u.stores.length > 0)
      await acc(trx)
        .insertInto('user_stores')
        .values([...new Set(u.stores)].map((store_id) => ({ username: u.username, store_id })))
        .execute();
  });
  return loadUser(db, u.username) as Promise<SessionUser>;
}

/** Creates a district (or renames it) and sets its stores. */
export async function upsertDistrict(
  db: HqDb,
  d: { id: string; name: string; stores: readonly string[] },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await acc(trx)
      .insertInto('districts')
      .values({ id: d.id, name: d.name })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: d.name }))
      .execute();
    await acc(trx).deleteFrom('district_stores').where('district_id', '=', d.id).execute();
    if (d.stores.length > 0)
      await acc(trx)
        .insertInto('district_stores')
        .values(d.stores.map((store_id) => ({ district_id: d.id, store_id })))
        .execute();
  });
}

/** An active user as the dashboard sees them, with the stores in their scope; undefined if unknown. */
export async function loadUser(db: HqDb, username: string): Promise<SessionUser | undefined> {
  const row = await acc(db)
    .selectFrom('users')
    .select(['username', 'display_name', 'role', 'district_id'])
    .where('username', '=', username)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    stores: await storesOf(db, row),
  };
}

async function storesOf(
  db: HqDb,
  u: { username: string; role: Role; district_id: string | null },
): Promise<string[] | 'all'> {
  if (u.role === 'admin') return 'all';
  const own = await acc(db)
    .selectFrom('user_stores')
    .select('store_id')
    .where('username', '=', u.username)
    .execute();
  const ids = new Set(own.map((r) => r.store_id));
  if (u.role === 'district_manager' && u.district_id) {
    const district = await acc(db)
      .selectFrom('district_stores')
      .select('store_id')
      .where('district_id', '=', u.district_id)
      .execute();
    for (const r of district) ids.add(r.store_id);
  }
  return [...ids].sort();
}

/**
 * The user whose password this is, or undefined. Unknown names and wrong passwords take the same
 * time and give the same answer, so sign-in does not reveal which usernames exist.
 */
export async function checkPassword(
  db: HqDb,
  username: string,
  password: string,
): Promise<SessionUser | undefined> {
  const name = usernameSchema.safeParse(username);
  const row = name.success
    ? await acc(db)
        .selectFrom('users')
        .select(['username', 'password_hash'])
        .where('username', '=', name.data)
        .where('active', '=', true)
        .executeTakeFirst()
    : undefined;
  if (!row) {
    dummyHash ??= hashPassword('not a password of anyone');
    await verifyPassword(password, await dummyHash);
    return undefined;
  }
  if (!(await verifyPassword(password, row.password_hash))) return undefined;
  return loadUser(db, row.username);
}

export async function countUsers(db: HqDb): Promise<number> {
  const { n } = await acc(db)
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(n);
}
