import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { formatMinor, invalid } from '../../core/index.ts';
import type { ProgrammeChanges } from '../../customers/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type HqDbCli, hqDbOptions, withHqDbCli } from './hq-db-cli.ts';

/**
 * `tally loyalty show|set|balance` on HQ's own database: the programme (the same write as
 * `PUT /api/v1/loyalty/programme`, so tills get it with their next catalog pull) and one account's
 * balance with its recent ledger lines. A change and a look-up by card are audited as `system:cli`, as
 * the route audits its user: the programme is chain-wide configuration, a card leads to a person.
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const whole =
  (flag: string, min = 0) =>
  (v: string): number => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n < min)
      throw invalid(flag, `expected a whole number of at least ${min}, got "${v}"`);
    return n;
  };

/** `ID=VALUE`, collected over repeated flags. */
const pairs =
  (flag: string) =>
  (v: string, acc: [string, string][] = []): [string, string][] => {
    const at = v.indexOf('=');
    if (at <= 0 || at === v.length - 1) throw invalid(flag, `expected ID=VALUE, got "${v}"`);
    return [...acc, [v.slice(0, at).trim(), v.slice(at + 1).trim()]];
  };

const collect = (v: string, acc: string[] = []): string[] => [...acc, v];

interface SetCli extends HqDbCli {
  file?: string;
  on?: boolean;
  off?: boolean;
  pointsPerUnit?: number;
  redeemPointsPerUnit?: number;
  offlineCap?: number;
  store?: [string, string][];
  category?: [string, string][];
  tier?: string[];
}

/** The flags of `set` as changes to the programme; each error names its flag. */
export function changesFromFlags(o: SetCli): ProgrammeChanges {
  if (o.on && o.off) throw invalid('--on', 'give --on or --off, not both');
  const stores: NonNullable<ProgrammeChanges['stores']> = {};
  for (const [id, v] of o.store ?? [])
    stores[id] =
      v === 'off'
        ? { enabled: false }
        : v === 'on'
          ? { enabled: true }
          : v === 'chain'
            ? null
            : { pointsPerUnit: whole(`--store ${id}`)(v), enabled: true };
  const categories: NonNullable<ProgrammeChanges['categories']> = {};
  for (const [id, v] of o.category ?? [])
    categories[id] = v === 'off' ? 0 : v === 'normal' ? null : whole(`--category ${id}`)(v);
  const tiers = o.tier?.map((t) => {
    const [name, from, bp, ...rest] = t.split(':');
    if (!name || from === undefined || bp === undefined || rest.length > 0)
      throw invalid('--tier', `expected NAME:MIN_SPEND_MINOR:MULTIPLIER_BP (silver:50000:12500), got "${t}"`);
    return { name, minSpendMinor: whole(`--tier ${name}`)(from), multiplierBp: whole(`--tier ${name}`)(bp) };
  });
  return {
    ...(o.on ? { enabled: true } : o.off ? { enabled: false } : {}),
    pointsPerUnit: o.pointsPerUnit,
    redeemPointsPerUnit: o.redeemPointsPerUnit,
    offlineCapPoints: o.offlineCap,
    stores,
    categories,
    tiers,
  };
}

async function auditCli(db: HqDb, action: string, target: { type: string; id: string }, change: object) {
  const { recordAudit } = await import('../../access/index.ts');
  await recordAudit(db, {
    actor: { kind: 'system', id: 'cli' },
    action,
    target,
    ...change,
    route: 'tally loyalty',
    outcome: 'ok',
    at: new Date(),
  });
}

export function registerLoyaltyCommand(program: Command): void {
  const loyalty = program
    .command('loyalty')
    .description('the loyalty programme (earn rates, exclusions, tiers, point value) and points balances');

  hqDbOptions(
    loyalty.command('show').description('the programme in force').option('--json', 'print JSON'),
  ).action(async (o: HqDbCli & { json?: boolean }) => {
    const { readLoyaltyProgramme } = await import('../../customers/hq/index.ts');
    const { describeProgramme } = await import('../../customers/index.ts');
    const p = await withHqDbCli(o, 'tally-loyalty', readLoyaltyProgramme);
    console.log(o.json ? JSON.stringify(p, null, 2) : describeProgramme(p).join('\n'));
  });

  hqDbOptions(
    loyalty
      .command('set')
      .description(
        'change the programme (checked whole, audited; tills get it with their next catalog pull); flags not given keep their value',
      )
      .option(
        '--file <json>',
        'the whole programme as JSON (as `show --json` prints it); flags then change it',
      )
      .option('--on', 'switch the programme on')
      .option('--off', 'switch it off (tills stop earning and burning)')
      .option('--points-per-unit <n>', 'points per currency unit of net spend', whole('--points-per-unit'))
      .option('--redeem-points-per-unit <n>', 'points that pay 1.00', whole('--redeem-points-per-unit', 1))
      .option(
        '--offline-cap <n>',
        'points a till may burn per customer while HQ is unreachable',
        whole('--offline-cap'),
      )
      .option(
        '--store <id=n|off|on|chain>',
        "a store's own earn rate, off, or back to the chain's (repeat)",
        pairs('--store'),
      )
      .option(
        '--category <id=bp|off|normal>',
        "a category's multiplier in basis points (10000 = ×1, 0 or off = excluded; repeat)",
        pairs('--category'),
      )
      .option(
        '--tier <name:minSpendMinor:multiplierBp>',
        'the tiers, lowest first from 0 (repeat; replaces all)',
        collect,
      ),
  ).action(async (o: SetCli) => {
    const { changeProgramme, checkProgramme, describeProgramme } = await import('../../customers/index.ts');
    const { readLoyaltyProgramme, writeLoyaltyProgramme } = await import('../../customers/hq/index.ts');
    const changes = changesFromFlags(o);
    const fromFile = o.file === undefined ? undefined : programmeFile(o.file, checkProgramme);
    const after = await withHqDbCli(o, 'tally-loyalty', (db) =>
      db.transaction().execute(async (trx) => {
        const before = await readLoyaltyProgramme(trx);
        const next = changeProgramme(fromFile ?? before, changes);
        await writeLoyaltyProgramme(trx, next);
        await auditCli(
          trx,
          'loyalty.programme_set',
          { type: 'loyalty_programme', id: '1' },
          { before, after: next },
        );
        return next;
      }),
    );
    console.log(describeProgramme(after).join('\n'));
  });

  hqDbOptions(
    loyalty
      .command('balance <customer>')
      .description(
        "one account's points, tier and recent ledger lines, by customer id or loyalty card number",
      )
      .option('--lines <n>', 'how many recent ledger lines', whole('--lines', 1), 10)
      .option('--json', 'print JSON'),
  ).action(async (who: string, o: HqDbCli & { lines: number; json?: boolean }) => {
    const hq = await import('../../customers/hq/index.ts');
    const r = await withHqDbCli(o, 'tally-loyalty', async (db) => {
      let customerId = who.trim();
      if (!UUID.test(customerId)) {
        const ids = await hq.findCustomerIds(db, 'card', customerId);
        await auditCli(
          db,
          'loyalty.balance_read',
          { type: 'loyalty_card', id: 'by-card' },
          { after: { found: ids } },
        );
        if (ids.length === 0)
          throw invalid(
            'customer',
            `no customer has loyalty card "${who}"; give a customer id or a card number`,
          );
        if (ids.length > 1)
          throw invalid(
            'customer',
            `card "${who}" names ${ids.length} customers (${ids.join(', ')}); give the customer id`,
          );
        customerId = ids[0]!;
      }
      const balance = await hq.loyaltyBalance(db, customerId);
      const lines = await hq.loyaltyHistory(db, customerId, o.lines);
      return { ...balance, lines, currency: await spendCurrency(db, customerId) };
    });
    if (o.json) return console.log(JSON.stringify(r, null, 2));
    console.log(
      `${r.customerId}: ${r.balancePoints} points${r.overdraft ? ' (overdrawn offline: see exceptions)' : ''}, tier ${r.tier}, 12-month spend ${formatMinor(r.spend12mMinor, r.currency)} ${r.currency}`,
    );
    for (const l of r.lines)
      console.log(
        [
          l.at,
          l.kind,
          l.points > 0 ? `+${l.points}` : String(l.points),
          `= ${l.balanceAfter}`,
          l.storeId ?? '-',
          l.reason ?? l.eventId ?? '',
        ].join('\t'),
      );
  });
}

function programmeFile<T>(path: string, check: (raw: unknown) => T): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw invalid(
      '--file',
      `cannot read ${path} as JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  return check(raw);
}

/** The currency spend is counted in: the customer's registering store's, else the chain's first store's. */
async function spendCurrency(db: HqDb, customerId: string): Promise<string> {
  const { rows } = await sql<{ currency: string }>`SELECT s.currency FROM stores s
    LEFT JOIN customer_profiles p ON p.registered_store_id = s.id AND p.customer_id = ${customerId}::uuid
    ORDER BY (p.customer_id IS NULL), s.id LIMIT 1`.execute(db);
  return rows[0]?.currency ?? 'EUR';
}
