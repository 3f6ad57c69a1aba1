import { z } from 'zod';
import { type Permission, permission, roleId } from '../contracts/index.ts';
import { conflict, invalid, notFound } from '../core/index.ts';
import type { HqDb } from '../db/index.ts';
import { acc } from './access-tables.ts';
import { type PermissionStores, within } from './coverage.ts';
import { assertUserManagerRemains, chainHolders, rolePermissions } from './grants.ts';
import { forbidden } from './refusals.ts';

export { ROLES, type Role, role } from '../contracts/index.ts';

/**
 * Roles as head office edits them: a name and a set of permissions. Whoever edits a role needs every
 * permission it would carry over the chain (no role can be made stronger than its editor), and no edit
 * or deletion may leave the chain without someone who can manage users.
 */
export interface RoleInfo {
  id: string;
  name: string;
  permissions: Permission[];
  /** How many grants name it. */
  grants: number;
}

export const roleInput = z.object({
  name: z.string().trim().min(1).max(100),
  permissions: z.array(permission).max(100),
});

export async function listRoles(db: HqDb): Promise<RoleInfo[]> {
  const roles = await acc(db).selectFrom('roles').select(['id', 'name']).orderBy('id').execute();
  const perms = await rolePermissions(db);
  const counts = await acc(db)
    .selectFrom('user_grants')
    .select(['role_id', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('role_id')
    .execute();
  const n = new Map(counts.map((c) => [c.role_id, Number(c.n)]));
  return roles.map((r) => ({
    id: r.id,
    name: r.name,
    permissions: perms.get(r.id) ?? [],
    grants: n.get(r.id) ?? 0,
  }));
}

/** Permissions `editor` lacks over the chain, of `wanted`. */
const beyondChain = (editor: PermissionStores, wanted: readonly Permission[]): Permission[] =>
  wanted.filter((p) => !within('all', editor[p]));

/** Creates or changes a role (name and the whole permission set). */
export async function saveRole(
  db: HqDb,
  editor: PermissionStores,
  id: string,
  input: z.input<typeof roleInput>,
): Promise<RoleInfo> {
  const rid = roleId.safeParse(id);
  if (!rid.success) throw invalid('id', rid.error.issues[0]?.message ?? 'not a role id');
  const r = roleInput.parse(input);
  const permissions = [...new Set(r.permissions)].sort();
  const before = await rolePermissions(db, [rid.data]);
  // Adding or taking away a permission changes what every holder may do: both need it over the chain.
  const changed = [
    ...permissions.filter((p) => !(before.get(rid.data) ?? []).includes(p)),
    ...(before.get(rid.data) ?? []).filter((p) => !permissions.includes(p)),
  ];
  const lacking = beyondChain(editor, changed);
  if (lacking.length > 0)
    throw forbidden(
      `permissions: you may change only permissions you hold over the chain; you lack ${lacking.join(', ')}`,
      'permissions',
    );
  const hadManager = (await chainHolders(db, 'manage_users')).length > 0;
  await db.transaction().execute(async (trx) => {
    await acc(trx)
      .insertInto('roles')
      .values({ id: rid.data, name: r.name })
      .onConflict((oc) => oc.column('id').doUpdateSet({ name: r.name }))
      .execute();
    await acc(trx).deleteFrom('role_permissions').where('role_id', '=', rid.data).execute();
    if (permissions.length > 0)
      await acc(trx)
        .insertInto('role_permissions')
        .values(permissions.map((permission) => ({ role_id: rid.data, permission })))
        .execute();
    if (hadManager) await assertUserManagerRemains(trx, `changing role ${rid.data}`);
  });
  return (await listRoles(db)).find((x) => x.id === rid.data) as RoleInfo;
}

/** Deletes a role no grant names. */
export async function deleteRole(db: HqDb, id: string): Promise<void> {
  const role = (await listRoles(db)).find((r) => r.id === id);
  if (!role) throw notFound(`role ${id}`, 'id');
  if (role.grants > 0)
    throw conflict(`role ${id} is granted ${role.grants} time(s); revoke those grants first`, 'id');
  await acc(db).deleteFrom('roles').where('id', '=', id).execute();
}
