import type { Command } from 'commander';
import { type Grant, type GrantScope, type Permission, ROLES, type Role } from '../../contracts/index.ts';
import { invalid } from '../../core/index.ts';
import type { TallyConfig } from '../config.ts';
import { type HqDbCli, hqDbOptions, idList, withHqDbCli } from './hq-db-cli.ts';
import { promptNewPin, readFirstLine } from './pin-input.ts';

/** The password from TALLY_USER_PASSWORD (read at start) or the first line of stdin, never from argv (shell history). */
async function readPassword(fromEnv: string | undefined): Promise<string> {
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('password: ');
  let text = '';
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const password = text.split(/\r?\n/)[0] ?? '';
  if (!password) throw invalid('password', 'give it on stdin or in TALLY_USER_PASSWORD');
  return password;
}

type ScopeCli = { store?: string; district?: string; chain?: boolean };

/** Exactly one of --store, --district, --chain. */
function scopeOf(o: ScopeCli): GrantScope {
  const given = [o.store !== undefined, o.district !== undefined, o.chain === true].filter(Boolean).length;
  if (given !== 1) throw invalid('--store', 'give exactly one of --store <id>, --district <id> or --chain');
  if (o.store !== undefined) return { kind: 'store', id: o.store };
  if (o.district !== undefined) return { kind: 'district', id: o.district };
  return { kind: 'chain' };
}

const grantText = (g: Grant): string =>
  `${g.role}@${g.scope.kind === 'chain' ? 'chain' : `${g.scope.kind}:${g.scope.id}`}`;

/**
 * `tally users add|list|grant|revoke|roles|role-set|disable|enable|remove|passwd` and `tally users district`: the people
 * who sign in to HQ, their grants and the roles. Run on HQ's own database, as head office.
 */
export function registerUsersCommand(program: Command, config: Pick<TallyConfig, 'userPassword'>): void {
  const users = program
    .command('users')
    .description("people who sign in to HQ's dashboard, their grants, and the roles");

  hqDbOptions(
    users
      .command('add <username>')
      .description('add a user; the password is read from stdin (or TALLY_USER_PASSWORD)')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')} (then \`tally users grant\` for others)`)
      .option('--name <display name>', 'shown in the dashboard (default: the username)')
      .option('--stores <ids>', 'comma-separated store ids (associates and store managers need them)', idList)
      .option('--district <id>', 'for a district manager: the district whose stores they see'),
  ).action(
    async (
      username: string,
      o: HqDbCli & { role: string; name?: string; stores?: string[]; district?: string },
    ) => {
      if (!(ROLES as readonly string[]).includes(o.role))
        throw invalid('--role', `expected one of ${ROLES.join(', ')}, got "${o.role}"`);
      const password = await readPassword(config.userPassword);
      const { addUser } = await import('../../access/index.ts');
      const user = await withHqDbCli(o, 'tally-users', (db) =>
        addUser(db, {
          username,
          displayName: o.name ?? username,
          role: o.role as Role,
          password,
          stores: o.stores ?? [],
          districtId: o.district,
        }),
      );
      console.log(`added ${user.username} (${user.grants.map(grantText).join(', ')})`);
    },
  );

  hqDbOptions(users.command('list').description('list users and their grants')).action(async (o: HqDbCli) => {
    const { listUsers } = await import('../../access/index.ts');
    const rows = await withHqDbCli(o, 'tally-users', (db) => listUsers(db, 'all'));
    for (const u of rows)
      console.log(
        `${u.username}\t${u.grants.map(grantText).join(',') || '-'}\t${u.active ? 'active' : 'disabled'}\t${u.displayName}`,
      );
  });

  hqDbOptions(
    users
      .command('grant <username> <role>')
      .description('give a user a role over a store, a district or the chain (exactly one of the options)')
      .option('--store <id>', 'the store')
      .option('--district <id>', 'the district')
      .option('--chain', 'every store'),
  ).action(async (username: string, roleId: string, o: HqDbCli & ScopeCli) => {
    const g = { role: roleId, scope: scopeOf(o) };
    const { grantsOf, setGrants, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    await withHqDbCli(o, 'tally-users', async (db) =>
      // The CLI runs on HQ's own database: its operator acts as head office.
      setGrants(db, everywhere(PERMISSIONS, 'all'), username, [...(await grantsOf(db, username)), g]),
    );
    console.log(`${username}: granted ${grantText(g)}`);
  });

  hqDbOptions(
    users
      .command('revoke <username> <role>')
      .description('take a role away from a user, over the scope given (exactly one of the options)')
      .option('--store <id>', 'the store')
      .option('--district <id>', 'the district')
      .option('--chain', 'every store'),
  ).action(async (username: string, roleId: string, o: HqDbCli & ScopeCli) => {
    const scope = scopeOf(o);
    const { grantsOf, sameScope, setGrants, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    await withHqDbCli(o, 'tally-users', async (db) => {
      const before = await grantsOf(db, username);
      const after = before.filter((g) => !(g.role === roleId && sameScope(g.scope, scope)));
      if (after.length === before.length)
        throw invalid('role', `${username} holds no ${roleId} over ${grantText({ role: roleId, scope })}`);
      await setGrants(db, everywhere(PERMISSIONS, 'all'), username, after);
    });
    console.log(`${username}: revoked ${grantText({ role: roleId, scope })}`);
  });

  hqDbOptions(users.command('roles').description('list roles and their permissions')).action(
    async (o: HqDbCli) => {
      const { listRoles } = await import('../../access/index.ts');
      for (const r of await withHqDbCli(o, 'tally-users', (db) => listRoles(db)))
        console.log(`${r.id}\t${r.name}\t${r.grants} grant(s)\t${r.permissions.join(',')}`);
    },
  );

  hqDbOptions(
    users
      .command('role-set <id>')
      .description('create or change a role: its name and all its permissions')
      .requiredOption(
        '--permissions <names>',
        'comma-separated permission names (see `tally users roles`)',
        idList,
      )
      .option('--name <name>', 'display name (default: the id, or the name it has)'),
  ).action(async (id: string, o: HqDbCli & { permissions: string[]; name?: string }) => {
    const { listRoles, saveRole, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    const unknown = o.permissions.filter((p) => !(PERMISSIONS as readonly string[]).includes(p));
    if (unknown.length > 0)
      throw invalid('--permissions', `unknown: ${unknown.join(', ')}; one of ${PERMISSIONS.join(', ')}`);
    const saved = await withHqDbCli(o, 'tally-users', async (db) => {
      const name = o.name ?? (await listRoles(db)).find((r) => r.id === id)?.name ?? id;
      return saveRole(db, everywhere(PERMISSIONS, 'all'), id, {
        name,
        permissions: o.permissions as Permission[],
      });
    });
    console.log(`role ${saved.id} (${saved.name}): ${saved.permissions.join(', ')}`);
  });

  hqDbOptions(
    users.command('disable <username>').description('deactivate a user and end their sessions'),
  ).action(async (username: string, o: HqDbCli) => {
    const { deactivateUser, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    await withHqDbCli(o, 'tally-users', (db) => deactivateUser(db, everywhere(PERMISSIONS, 'all'), username));
    console.log(`${username}: disabled`);
  });

  hqDbOptions(
    users
      .command('enable <username>')
      .description('reactivate a deactivated user (their password and grants are kept)'),
  ).action(async (username: string, o: HqDbCli) => {
    const { reactivateUser, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    await withHqDbCli(o, 'tally-users', (db) => reactivateUser(db, everywhere(PERMISSIONS, 'all'), username));
    console.log(`${username}: active`);
  });

  hqDbOptions(
    users
      .command('remove <username>')
      .description(
        'remove a user: deleted when nothing names them; else deactivated, every grant revoked and hidden from lists (history keeps their name)',
      ),
  ).action(async (username: string, o: HqDbCli) => {
    const { removeUser, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    const removed = await withHqDbCli(o, 'tally-users', (db) =>
      removeUser(db, everywhere(PERMISSIONS, 'all'), username),
    );
    console.log(
      removed === 'deleted'
        ? `${username}: deleted`
        : `${username}: removed (deactivated, grants revoked; kept because history names them)`,
    );
  });

  hqDbOptions(
    users
      .command('passwd <username>')
      .description("set a user's password from stdin (or TALLY_USER_PASSWORD); their sessions end"),
  ).action(async (username: string, o: HqDbCli) => {
    const password = await readPassword(config.userPassword);
    const { resetPassword, everywhere } = await import('../../access/index.ts');
    const { PERMISSIONS } = await import('../../contracts/index.ts');
    await withHqDbCli(o, 'tally-users', (db) =>
      resetPassword(db, everywhere(PERMISSIONS, 'all'), username, password),
    );
    console.log(`${username}: password set`);
  });

  hqDbOptions(
    users
      .command('till-pin <username>')
      .description(
        "set a user's till sign-in: their till code and a 4–8 digit PIN (asked twice, or --pin-stdin); tills of the user's stores learn it with their next catalog pull",
      )
      .requiredOption(
        '--code <digits>',
        'the till code they type, 3–8 digits, unique in the chain (e.g. 1001)',
      )
      .option('--pin-stdin', 'read the PIN from the first line of standard input instead of asking'),
  ).action(async (username: string, o: HqDbCli & { code: string; pinStdin?: boolean }) => {
    const pin = (o.pinStdin ? await readFirstLine(process.stdin) : await promptNewPin()).trim();
    const { setTillPin } = await import('../../access/index.ts');
    await withHqDbCli(o, 'tally-users', (db) => setTillPin(db, { username, code: o.code, pin }));
    console.log(`${username} signs in at tills with code ${o.code}`);
  });

  hqDbOptions(
    users
      .command('district <id>')
      .description("create or change a district: its name and stores (a district manager's scope)")
      .requiredOption('--stores <ids>', 'comma-separated store ids', idList)
      .option('--name <name>', 'display name (default: the id)'),
  ).action(async (id: string, o: HqDbCli & { stores: string[]; name?: string }) => {
    const { upsertDistrict } = await import('../../access/index.ts');
    await withHqDbCli(o, 'tally-users', (db) =>
      upsertDistrict(db, { id, name: o.name ?? id, stores: o.stores }),
    );
    console.log(`district ${id}: ${o.stores.join(', ')}`);
  });
}
