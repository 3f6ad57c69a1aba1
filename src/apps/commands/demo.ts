import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { enrollTerminal } from '../../access/index.ts';
import { businessDate, createFileLogger } from '../../core/index.ts';
import {
  DEMO_PASSWORD,
  DEMO_TILL_USERS,
  DEMO_USERS,
  scoreDemoCustomers,
  seedDemoCalendar,
  seedDemoChain,
  seedDemoDrafts,
  seedDemoHistory,
} from '../../demo/index.ts';
import { latestRun, refreshHqForecasts } from '../../intel/forecast/index.ts';
import { addDays } from '../../reports/index.ts';
import type { TallyConfig } from '../config.ts';
import { type RunningHq, startHq } from '../hq/server.ts';
import { DEFAULT_HQ_PORT, dataPath, parsePort } from '../options.ts';
import { hqEventRegistry } from '../shared/event-registry.ts';
import { makePrivate } from '../shared/private-files.ts';
import { DEMO_MANAGER, startTerminal } from '../terminal/index.ts';
import { adminTokenNotice, hqSettings, rememberAdminToken } from './hq.ts';
import { closeOnSignal } from './lifecycle.ts';

const DEMO_STORE = 'S001';

export function registerDemoCommand(program: Command, config: TallyConfig): void {
  program
    .command('demo')
    .description(
      'start HQ (embedded PGlite) and one till in one process, seeding a demo chain on first start',
    )
    .option('--data <dir>', 'data folder for HQ and the till', '.tally')
    .option('--port <n>', "HQ's port; the till takes the next one", (v) => parsePort(v), DEFAULT_HQ_PORT)
    .action(async (o: { data: string; port: number }) => {
      const root = dataPath(o.data);
      // Requests and progress go to a file; the terminal keeps the banner and what needs a person.
      const logFile = join(root, 'logs', 'demo.log');
      const log = createFileLogger(
        'tally-demo',
        logFile,
        config.logLevel === 'trace' || config.logLevel === 'debug' ? config.logLevel : 'info',
      );
      console.log(`Starting the Tally demo in ${root} (the first start seeds a demo chain: about a minute)…`);
      const hqDir = join(root, 'hq');
      const tillDir = join(root, 'till');
      makePrivate(root, log, []);
      const hq = await startHq({
        ...hqSettings(config),
        dataDir: hqDir,
        port: o.port,
        logger: log.child({ app: 'hq' }),
      });
      const adminToken = rememberAdminToken(hqDir, hq.adminToken);
      await seedDemoChain(hq.db, hqEventRegistry, { stores: 5, logger: log }); // logs whether it seeded or found a chain already
      // A year and more of sales, users of every role, tills and stock worth a look, and customers with
      // their purchases and points: the dashboard's demo.
      const history = await seedDemoHistory(hq.db, hqEventRegistry, { logger: log, customers: true });
      if (history.seeded) log.info(history.message);
      // Scored before the banner, as the nightly job would have, so the Customers panel is filled on first open.
      for (const run of await scoreDemoCustomers(hq.db, { logger: log.child({ job: 'customer-scores' }) }))
        log.info(
          { runId: run.runId, asOf: run.asOf, status: run.status, ms: run.ms },
          'demo customers scored',
        );
      // Again on every start, so the coming year's closed days are always on the calendar.
      const calendarToday = businessDate(new Date(), 'Europe/Berlin');
      await seedDemoCalendar(hq.db, addDays(calendarToday, -800), calendarToday);
      // The first forecast runs in the background: the panels answer from run rates until it is stored.
      // A week-old run first, so the briefing can set yesterday's sales against a real forecast.
      if (!(await latestRun(hq.db))) {
        const flog = log.child({ job: 'forecast' });
        const weekAgo = addDays(businessDate(new Date(), 'Europe/Berlin'), -8);
        void refreshHqForecasts(hq.db, { logger: flog, asOf: weekAgo, horizonDays: 28, backtest: false })
          .then(() => refreshHqForecasts(hq.db, { logger: flog }))
          .then((r) => log.info({ runId: r.runId, series: r.series, ms: r.ms }, 'first demo forecast stored'))
          // Draft orders as a real chain gets them: replenishment over that forecast.
          .then(() => seedDemoDrafts(hq.db, { logger: flog }))
          .catch((err) => log.warn({ err }, 'demo forecast refresh failed; run `tally forecast refresh`'));
      }

      // Enrolled once; later starts read terminal.json, with the HQ URL refreshed in case the port moved.
      const enrolled = existsSync(join(tillDir, 'terminal.json'))
        ? {}
        : // By id: the seeded history already has S001-T02 (Kasse 2, where S001's customers were served).
          await enrollTerminal(hq.db, { storeId: DEMO_STORE, terminalId: `${DEMO_STORE}-T01` });
      const till = await startTerminal({
        dataDir: tillDir,
        hqUrl: hq.url,
        ...enrolled,
        port: o.port === 0 ? 0 : o.port + 1,
        logger: log.child({ app: 'terminal' }),
        // Only the demo gets a manager with a known PIN; a real till starts with none.
        seedManager: DEMO_MANAGER,
      });
      const sku = await sampleBarcode(hq.db);
      const today = businessDate(new Date(), 'Europe/Berlin');
      console.log(
        banner({
          hqUrl: hq.url,
          tillUrl: till.url,
          terminalId: till.identity.terminalId,
          adminToken,
          sku,
          today,
          logFile,
        }),
      );
      closeOnSignal(log, async () => {
        await till.close();
        await hq.close();
      });
    });
}

/** A real barcode from the seeded catalog, so the printed curl lines work as they are. */
async function sampleBarcode(db: RunningHq['db']): Promise<string | undefined> {
  const row = await db.selectFrom('barcodes').select('code').orderBy('code').limit(1).executeTakeFirst();
  return row?.code;
}

interface BannerFacts {
  hqUrl: string;
  tillUrl: string;
  terminalId: string;
  adminToken: ReturnType<typeof rememberAdminToken>;
  sku: string | undefined;
  /** The demo store's business date when the banner was printed. */
  today: string;
  logFile: string;
}

function banner({ hqUrl, tillUrl, terminalId, adminToken, sku, today, logFile }: BannerFacts) {
  const item = sku ?? '<sku>';
  // Read from its file when used, so the token is on the screen at most once: when it was made.
  const bearer = `"authorization: Bearer $(cat ${adminToken.file})"`;
  return `
Tally demo is running (Ctrl-C to stop)

  HQ          ${hqUrl}          health: ${hqUrl}/health   API: ${hqUrl}/openapi.json
  Till        ${tillUrl}          terminal ${terminalId} in store ${DEMO_STORE}   API: ${tillUrl}/openapi.json
  ${adminTokenNotice(adminToken)}
  Logs        ${logFile}   (requests and progress; warnings also show here)

Open the manager's dashboard: ${hqUrl}/dashboard/   sign in with password ${DEMO_PASSWORD} as
${DEMO_USERS.map((u) => `  ${u.username.padEnd(5)} ${(u.grantRole ?? u.role).replace('_', ' ')}${u.stores.length ? ` (${u.stores.join(', ')})` : u.district ? ' (S001, S002)' : ' (all stores)'}`).join('\n')}

Open the register screen in a browser: ${tillUrl}/   sign in with a till code and PIN:
${DEMO_TILL_USERS.map((t) => `  ${t.code}  PIN ${t.pin}  ${t.username}`).join('\n')}
  Local manager M1 with PIN 1234 signs in too and approves (X-Manager-Id and X-Manager-PIN; replace it through ${tillUrl}/api/v1/managers)

Ring up a sale at the till:
  TILL="authorization: Bearer $(curl -s -XPOST ${tillUrl}/api/v1/session -H 'content-type: application/json' -d '{"code":"${DEMO_TILL_USERS[0]?.code}","pin":"${DEMO_TILL_USERS[0]?.pin}"}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).sessionToken')"
  curl -s -XPOST ${tillUrl}/api/v1/shifts -H "$TILL" -H 'content-type: application/json' -d '{"openingFloatMinor":10000}'
  CART=$(curl -s -XPOST ${tillUrl}/api/v1/carts -H "$TILL" -H 'content-type: application/json' -d '{}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).cartId')
  curl -s -XPOST ${tillUrl}/api/v1/carts/$CART/lines -H "$TILL" -H 'content-type: application/json' -d '{"code":"${item}","qty":2}'
  curl -s -XPOST ${tillUrl}/api/v1/carts/$CART/complete -H "$TILL" -H 'content-type: application/json' -d '{"tenders":[{"kind":"cash","tenderedMinor":5000}]}'
Then see it at HQ, among today's receipts at ${DEMO_STORE} (the till sends it within seconds; newest first, with total and next):
  curl -s '${hqUrl}/api/v1/sales?store=${DEMO_STORE}' -H ${bearer}
  and today's sales of that item:  curl -s '${hqUrl}/api/v1/sales/daily?store=${DEMO_STORE}&sku=${item}&from=${today}' -H ${bearer}
`;
}
