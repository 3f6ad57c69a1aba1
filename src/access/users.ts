import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { type Grant, grant, LEGACY_ROLES, ROLES, type Role, type SessionUser } from '../contracts/index.ts';
import { conflict, invalid } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import { anyStores } from './coverage.ts';
import { checkGrantTargets, coverageOf, grantsOf, writeGrants } from './grants.ts';

export { type AccessTables, acc } from './access-tables.ts';

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

export const passwordSchema = z.string().min(8, 'at least 8 characters').max(1000);

export const newUserSchema = z.object({
  username: usernameSchema,
  displayName: z.string().trim().min(1).max(200),
  password: passwordSchema,
  /** The roles and where; or, as earlier releases took it, one legacy role with stores or a district. */
  grants: z.array(grant).optional(),
  role: z.enum(ROLES).optional(),
  stores: z.array(z.string().min(1)).default([]),
  districtId: z.string().min(1).optional(),
});
export type NewUser = z.input<typeof newUserSchema>;

/** Earlier releases' role + stores/district as grants (LEGACY_ROLES), refusing what would reach nothing. */
export function legacyGrants(u: {
  role: Role;
  stores: readonly string[];
  districtId?: string | undefined;
}): Grant[] {
  const role = LEGACY_ROLES[u.role] as string;
  if (u.role === 'admin') return [{ role, scope: { kind: 'chain' } }];
  if ((u.role === 'associate' || u.role === 'store_manager') && u.stores.length === 0)
    throw invalid('stores', `a ${u.role} needs at least one store`);
  if (u.role === 'district_manager' && !u.districtId && u.stores.length === 0)
    throw invalid('districtId', 'a district manager needs a district or stores');
  return [
    ...(u.districtId ? [{ role, scope: { kind: 'district' as const, id: u.districtId } }] : []),
    ...[...new Set(u.stores)].map((id) => ({ role, scope: { kind: 'store' as const, id } })),
  ];
}

/**
 * Adds a user with their grants. Nobody is created who would see nothing (no grant), or whose grant
 * names a store, district or role HQ does not know.
 */
export async function addUser(db: HqDb, input: NewUser): Promise<SessionUser> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw invalid(issue?.path.join('.') || 'user', issue?.message ?? 'invalid');
  }
  const u = parsed.data;
  const grants = u.grants ?? (u.role ? legacyGrants({ ...u, role: u.role }) : []);
  if (grants.length === 0) throw invalid('grants', 'give at least one role and where it applies');
  await checkGrantTargets(db, grants, (g, i) =>
    u.grants ? `grants.${i}.scope.id` : g.scope.kind === 'district' ? 'districtId' : 'stores',
  );
  const passwordHash = await hashPassword(u.password);
  await db.transaction().execute(async (trx) => {
    const inserted = await acc(trx)
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        active: true,
        created_at: new Date(),
      })
      .onConflict((oc) => oc.column('username').doNothing())
      .returning('username')
      .executeTakeFirst();
    if (!inserted) throw conflict(`user ${u.username} already exists`, 'username');
    await writeGrants(trx, u.username, grants);
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

/** An active user as the dashboard sees them, with grants and what each permission covers. */
export async function loadUser(db: HqDb, username: string): Promise<SessionUser | undefined> {
  const row = await acc(db)
    .selectFrom('users')
    .select(['username', 'display_name'])
    .where('username', '=', username)
    .where('active', '=', true)
    .executeTakeFirst();
  if (!row) return undefined;
  const grants = await grantsOf(db, row.username);
  const permissions = await coverageOf(db, grants);
  const stores = anyStores(permissions);
  return {
    username: row.username,
    displayName: row.display_name,
    role: grants[0]?.role ?? '',
    stores: stores === 'all' ? 'all' : [...stores],
    grants,
    permissions: Object.fromEntries(
      Object.entries(permissions).map(([p, s]) => [p, s === 'all' ? 'all' : [...s]]),
    ) as SessionUser['permissions'],
  };
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

/** Adds a store to a district (a district manager's scope then reaches it); the district must exist. */
export async function addStoreToDistrict(db: HqDb, districtId: string, storeId: string): Promise<void> {
  const d = await acc(db)
    .selectFrom('districts')
    .select('id')
    .where('id', '=', districtId)
    .executeTakeFirst();
  if (!d) throw invalid('districtId', `no district ${districtId}; create it first (tally users district)`);
  await acc(db)
    .insertInto('district_stores')
    .values({ district_id: districtId, store_id: storeId })
    .onConflict((oc) => oc.columns(['district_id', 'store_id']).doNothing())
    .execute();
}

export async function listDistricts(db: HqDb): Promise<{ id: string; name: string }[]> {
  return acc(db).selectFrom('districts').select(['id', 'name']).orderBy('id').execute();
}
