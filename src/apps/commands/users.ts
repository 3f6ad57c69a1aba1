import type { Command } from 'commander';
import { ROLES, type Role } from '../../contracts/index.ts';
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

/** `tally users add|list` and `tally users district`: the people who sign in to the dashboard. */
export function registerUsersCommand(program: Command, config: Pick<TallyConfig, 'userPassword'>): void {
  const users = program
    .command('users')
    .description("people who sign in to HQ's dashboard, and their stores");

  hqDbOptions(
    users
      .command('add <username>')
      .description('add a user; the password is read from stdin (or TALLY_USER_PASSWORD)')
      .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
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
      const scope = user.stores === 'all' ? 'all stores' : user.stores.join(', ');
      console.log(`added ${user.username} (${user.role}; ${scope})`);
    },
  );

  hqDbOptions(users.command('list').description('list users, their roles and stores')).action(
    async (o: HqDbCli) => {
      const { acc, loadUser } = await import('../../access/index.ts');
      await withHqDbCli(o, 'tally-users', async (db) => {
        const names = await acc(db).selectFrom('users').select('username').orderBy('username').execute();
        for (const { username } of names) {
          const u = await loadUser(db, username);
          if (u)
            console.log(
              `${u.username}\t${u.role}\t${u.stores === 'all' ? 'all' : u.stores.join(',')}\t${u.displayName}`,
            );
        }
      });
    },
  );

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
