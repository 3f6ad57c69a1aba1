import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { invalid } from '../../core/index.ts';
import type { HqDb } from '../../db/index.ts';
import { type HqDbCli, hqDbOptions, withHqDbCli } from './hq-db-cli.ts';

/**
 * `tally customers erase|export|campaign-list|duplicates|merge|unmerge` on HQ's own database, the same functions as the routes
 * under /api/v1/customers. Unlike other maintenance commands these write an audit entry (actor
 * `system:cli`): they read or destroy personal data, and the log should say so whoever ran them.
 * Registered by `registerCustomerDataCommands` so the integrator can put it beside other `customers`
 * subcommands (scoring) under one `customers` command.
 */
async function auditCli(
  db: HqDb,
  action: string,
  target: { type: string; id: string },
  after?: unknown,
): Promise<void> {
  const { recordAudit } = await import('../../access/index.ts');
  await recordAudit(db, {
    actor: { kind: 'system', id: 'cli' },
    action,
    target,
    after,
    route: 'tally customers',
    outcome: 'ok',
    at: new Date(),
  });
}

/**
 * Adds the customer-data subcommands to `customers`, made here when the program has none yet: call it
 * after any other module's `customers` setup (the scorer's `registerCustomersCommand`), so both share
 * one `customers` command.
 */
export function registerCustomerDataCommands(program: Command): Command {
  const customers =
    program.commands.find((c) => c.name() === 'customers') ??
    program.command('customers').description('customers across the chain: personal data, consent, erasure');

  hqDbOptions(
    customers
      .command('erase <customerId>')
      .description(
        'erase a customer (and every profile merged with them): destroy their data keys, remove profiles, index, consent history and points, tell tills to forget them; prints the report of every id and place checked',
      )
      .option('--json', 'print the report as JSON'),
  ).action(async (customerId: string, o: HqDbCli & { json?: boolean }) => {
    const { eraseCustomer } = await import('../../customers/hq/index.ts');
    const { appendToHqLog } = await import('../shared/event-registry.ts');
    const { hqCustomerDataPlaces } = await import('../shared/customer-data-places.ts');
    const report = await withHqDbCli(o, 'tally-customers', async (db) => {
      const r = await eraseCustomer(db, appendToHqLog, customerId, { places: hqCustomerDataPlaces });
      await auditCli(db, 'customer.erased', { type: 'customer', id: customerId }, r);
      return r;
    });
    if (o.json) {
      console.log(JSON.stringify(report, null, 2));
      return;
    }
    console.log(
      `customer ${report.customerId}: ${report.alreadyErased ? 'was already erased' : 'erased'} at ${report.erasedAt}`,
    );
    if (report.customerIds.length > 1)
      console.log(`  the person's merged profiles, each erased: ${report.customerIds.join(', ')}`);
    for (const id of report.customerIds) {
      console.log(`  ${id}:`);
      for (const p of report.places.filter((x) => x.customerId === id))
        console.log(`    ${p.place}: found ${p.found}, removed ${p.removed}${p.note ? ` (${p.note})` : ''}`);
    }
  });

  hqDbOptions(
    customers
      .command('export <customerId>')
      .description('subject-access export: everything HQ holds on the customer, as JSON')
      .option('--out <file>', 'write to this file (owner-only) instead of printing'),
  ).action(async (customerId: string, o: HqDbCli & { out?: string }) => {
    const { subjectAccessExport } = await import('../../customers/hq/index.ts');
    const out = await withHqDbCli(o, 'tally-customers', async (db) => {
      const x = await subjectAccessExport(db, customerId);
      await auditCli(
        db,
        'customer.subject_access_exported',
        { type: 'customer', id: customerId },
        o.out ? { file: o.out } : undefined,
      );
      return x;
    });
    const text = `${JSON.stringify(out, null, 2)}\n`;
    if (o.out) {
      writeFileSync(o.out, text, { mode: 0o600 });
      console.log(`wrote ${o.out} (${out.sales.length} sale(s), ${out.events.length} event(s))`);
    } else process.stdout.write(text);
  });

  hqDbOptions(
    customers
      .command('campaign-list')
      .description('who may be contacted for a purpose now (granted, not erased)')
      .requiredOption('--purpose <purpose>', 'marketing_email, marketing_sms or analytics')
      .option('--format <format>', 'csv or json', 'csv')
      .option('--out <file>', 'write to this file (owner-only) instead of printing'),
  ).action(async (o: HqDbCli & { purpose: string; format: string; out?: string }) => {
    const { consentPurpose } = await import('../../customers/index.ts');
    const { campaignCsv, campaignList } = await import('../../customers/hq/index.ts');
    const purpose = consentPurpose.safeParse(o.purpose);
    if (!purpose.success) throw invalid('--purpose', `use one of ${consentPurpose.options.join(', ')}`);
    if (o.format !== 'csv' && o.format !== 'json') throw invalid('--format', 'use csv or json');
    const rows = await withHqDbCli(o, 'tally-customers', async (db) => {
      const r = await campaignList(db, purpose.data);
      await auditCli(
        db,
        'customer.campaign_list_exported',
        { type: 'campaign_list', id: purpose.data },
        { count: r.length },
      );
      return r;
    });
    const text = o.format === 'csv' ? campaignCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
    if (o.out) {
      writeFileSync(o.out, text, { mode: 0o600 });
      console.log(`wrote ${o.out} (${rows.length} customer(s))`);
    } else process.stdout.write(text);
  });
  hqDbOptions(
    customers
      .command('duplicates')
      .description(
        'probable duplicate customers for review, strongest first (merged and dismissed pairs left out)',
      )
      .option('--threshold <score>', 'leave out pairs scoring below this (0-1)', '0.7')
      .option('--json', 'print as JSON'),
  ).action(async (o: HqDbCli & { threshold: string; json?: boolean }) => {
    const threshold = Number(o.threshold);
    if (!(threshold >= 0 && threshold <= 1)) throw invalid('--threshold', 'a score between 0 and 1');
    const { duplicateQueue } = await import('../../customers/hq/index.ts');
    const pairs = await withHqDbCli(o, 'tally-customers', async (db) => {
      const r = await duplicateQueue(db, { threshold });
      await auditCli(
        db,
        'customer.duplicates_reviewed',
        { type: 'customer_duplicates', id: 'cli' },
        {
          pairs: r.map((p) => p.customerIds),
        },
      );
      return r;
    });
    if (o.json) {
      console.log(JSON.stringify(pairs, null, 2));
      return;
    }
    for (const p of pairs)
      console.log(`${p.score.toFixed(2)} ${p.kind} ${p.customerIds.join(' ')}  ${p.reasons.join('; ')}`);
    console.log(`${pairs.length} pair(s)`);
  });

  for (const kind of ['merge', 'unmerge'] as const)
    hqDbOptions(
      customers
        .command(`${kind} <survivorId> <mergedId>`)
        .description(
          kind === 'merge'
            ? 'merge mergedId into survivorId (one person): history, consents (the stricter wins) and points follow the survivor'
            : 'undo the merge of mergedId into survivorId: both profiles, their history and points come back',
        )
        .requiredOption('--reason <text>', 'why (kept in the event and the audit log)'),
    ).action(async (survivorId: string, mergedId: string, o: HqDbCli & { reason: string }) => {
      const { mergeCustomers, unmergeCustomers } = await import('../../customers/hq/index.ts');
      const { appendToHqLog } = await import('../shared/event-registry.ts');
      const d = { survivorId, mergedId, reason: o.reason, actor: 'system:cli' };
      const e = await withHqDbCli(o, 'tally-customers', (db) =>
        db.transaction().execute(async (trx) => {
          const ev =
            kind === 'merge'
              ? await mergeCustomers(trx, appendToHqLog, d)
              : await unmergeCustomers(trx, appendToHqLog, d);
          await auditCli(
            trx,
            `customer.${kind}d`,
            { type: 'customer', id: mergedId },
            { ...d, eventId: ev.id },
          );
          return ev;
        }),
      );
      console.log(`${kind}d ${mergedId} ${kind === 'merge' ? 'into' : 'from'} ${survivorId} (event ${e.id})`);
    });
  return customers;
}
