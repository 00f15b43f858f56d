import path from 'node:path';
import fs from 'node:fs';
import {
  addSite,
  clamdScanner,
  ensureSite,
  loadDataKeyring,
  newDataKeyHex,
  platformConsole,
  type DataKeyring,
  setDefaultSite,
  smtpMailer,
  type NewSiteInput,
} from '../services/index.js';
import type { Site } from '../domain/index.js';
import { exclusively, openStore, sites, users } from '../store/index.js';
import { startScheduler } from './scheduler.js';
import { startDistributor, type Distributor } from '../front/distribute.js';
import { loadFrontTls } from '../front/client.js';
import { systemClock } from '../clock.js';
import { createDemoSharing } from './demo-sharing.js';
import { createDemoLetters } from './demo-letters.js';
import { createDemoSurveys } from './demo-surveys.js';
import { createDemoConsultations } from './demo-consultations.js';
import { createDemoItems } from './demo-items.js';
import { createDemoHome } from './demo-home.js';
import { importFiles, pagesIn } from '../importers/index.js';
import { loadTheme } from '../theme/index.js';
import { buildApp } from '../web/index.js';
import { DEMO_PAGES_DIR, DEMO_SITES_DIR, openRuntime, type Runtime } from './runtime.js';

/**
 * The demo platform's other sites (demo/sites/*: a site.json and its pages), under the portal,
 * which becomes the default site (so localhost reaches it); each is reached at /_site/HOST/.
 */
async function createDemoSites(runtime: Runtime, portalHost: string): Promise<Site[]> {
  const actor = platformConsole('gazette serve');
  const made: Site[] = [];
  for (const folder of fs.readdirSync(DEMO_SITES_DIR).sort()) {
    const dir = path.join(DEMO_SITES_DIR, folder);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'site.json'), 'utf8')) as NewSiteInput;
    const site = await addSite(runtime, actor, spec);
    const outcomes = await importFiles({ ...runtime, siteId: site.id }, await pagesIn(dir), site.timeZone);
    for (const outcome of outcomes) if (!outcome.ok) console.error(outcome.error.report(runtime.config.lang));
    console.log(
      `Created the demo site "${site.name}" with ${outcomes.filter((o) => o.ok).length} articles, at /_site/${site.domain}/`,
    );
    made.push(site);
  }
  await setDefaultSite(runtime, actor, portalHost);
  return made;
}

/** The file of the demo's own personal-data key, in the data folder. */
export const DEMO_DATA_KEY_FILE = 'data.key';

/**
 * Without GAZETTE_DATA_KEY the public forms are off, except in the demo (GAZETTE_DEMO not off):
 * `npm start` should show a working 领导信箱, so it keeps a key of its own in the data folder
 * (readable by its owner only) and says so. No other start writes a key.
 */
function demoDataKeys(config: Runtime['config']): DataKeyring | null {
  if (!config.demo) return null;
  const file = path.join(config.dataDir, DEMO_DATA_KEY_FILE);
  try {
    fs.writeFileSync(file, `${newDataKeyHex()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  console.warn(
    `gazette: warning: the demo seals the personal data of its letters with its own key in ${file}; set GAZETTE_DATA_KEY in service (gazette key new).`,
  );
  return loadDataKeyring({ GAZETTE_DATA_KEY: fs.readFileSync(file, 'utf8').trim() });
}

/** `gazette serve`: the portal on PORT; the first start creates the demo platform and its content. */
export async function serve(): Promise<number> {
  const opened = await openRuntime();
  const { config } = opened;
  const runtime = { ...opened, dataKeys: opened.dataKeys ?? demoDataKeys(config) };
  // Read now: a certificate that cannot be read stops the start, not the first push.
  const frontTls = loadFrontTls(process.env);
  // A pinned clock is for tests and demonstrations: in service nothing scheduled would ever fall due.
  if (config.now)
    console.warn(
      `gazette: warning: GAZETTE_NOW pins the clock at ${config.now.toISOString()}; scheduled publishing, session expiry and the date bar stand still. Unset it in service.`,
    );
  // Started once the app is: the app's publishes wake it (see onPagesChanged).
  let distributor: Distributor | null = null;
  // Instances started together on one database make the demo site once.
  const served = await exclusively(runtime.store, 'gazette.setup', async () => {
    const existing = await sites.listSites(runtime.store.db);
    if (existing.length > 0) return existing.filter((s) => s.status === 'active');
    const { site } = await ensureSite(runtime, config.timeZone);
    if (!config.demo) {
      console.log(`Created the site "${site.name}" with its columns and no articles (GAZETTE_DEMO=off)`);
      return [site];
    }
    const outcomes = await importFiles({ ...runtime, siteId: site.id }, await pagesIn(DEMO_PAGES_DIR), site.timeZone);
    const failed = outcomes.filter((o) => !o.ok);
    for (const outcome of failed) if (!outcome.ok) console.error(outcome.error.report(config.lang));
    console.log(
      `Created the demo site "${site.name}" with ${outcomes.length - failed.length} articles in ${config.databaseUrl ? 'PostgreSQL' : config.dataDir}`,
    );
    const others = await createDemoSites(runtime, site.domain);
    await createDemoSharing(runtime, site, others);
    if (runtime.dataKeys) {
      const answered = await createDemoLetters(runtime, site);
      console.log(`Created the demo letter desk with ${answered} answered letters, at /xinxiang/`);
    }
    await createDemoSurveys(runtime, site);
    console.log('Created the demo surveys (one open, one closed with answers), at /wsdc/');
    await createDemoConsultations(runtime, site);
    console.log('Created the demo consultations (one open, one closed with its feedback), at /yjzj/');
    const items = await createDemoItems(runtime, site);
    console.log(
      `Created the demo items of each content type (${items} published), under /zwgk/: /zwgk/gfxwj/, /zwgk/bszn/, /zwgk/ldxx/, /zwgk/ztzl/ and /zcwjk/`,
    );
    const pictures = await createDemoHome(runtime, site, others);
    console.log(
      `Created the demo home page: a 头条, ${pictures} 图片新闻 and the portal's look with every block, at /`,
    );
    return [site, ...others];
  });
  const names =
    served.length === 1 ? (served[0]?.name ?? '') : `${served.length} sites (${served.map((s) => s.name).join(', ')})`;
  // A read replica answers the reader's own queries; it is never migrated from here.
  const readStore = config.readDatabaseUrl
    ? await openStore({ databaseUrl: config.readDatabaseUrl, sqliteFile: '', readOnly: true })
    : undefined;
  const app = await buildApp(
    {
      ...runtime,
      theme: loadTheme(),
      outputDir: path.join(config.dataDir, 'public'),
      ...(readStore && { readStore }),
      // Uploads are scanned by the configured clamd too (the built-in check always runs).
      ...(config.clamd && { virusScanner: clamdScanner(config.clamd) }),
    },
    {
      logLevel: config.logLevel,
      purgeUrl: config.purgeUrl,
      trustProxy: config.trustProxy,
      // A publish is pushed to the front servers at once (on SQLite nothing else would say so).
      onPagesChanged: () => distributor?.runSoon(),
      onPagesRecorded: () => distributor?.runSoon(),
    },
  );
  // Scheduled publishes go through the app's context, so their pages are published too.
  const mailer = config.mail ? smtpMailer(config.mail) : null;
  if (config.mail) app.log.info({ smtp: config.mail.url, from: config.mail.from }, 'letter deadline alerts are mailed');
  const scheduler = startScheduler(
    app.gazette.context,
    app.gazette.publisher,
    app.log,
    undefined,
    mailer && { mailer, adminUrl: config.mail?.adminUrl ?? null },
  );

  // 分发: every publish pushed to the front servers (gazette front add), picked up while running.
  distributor = startDistributor({
    store: runtime.store,
    publicDir: path.join(config.dataDir, 'public'),
    // The machine's time even under GAZETTE_NOW: a signature's age, a backoff and a lease are real
    // time between two machines (the agent checks signatures on its own clock).
    now: () => systemClock.now(),
    mailer,
    adminUrl: config.mail?.adminUrl ?? null,
    log: app.log,
    ...(frontTls && { tls: frontTls }),
  });

  // Read before the address is announced: whoever reads that line may signal at once, and a query
  // after it could meet a store the shutdown has closed (the exit code was then 1).
  const noAccountsYet = (await users.listUsers(runtime.store.db)).length === 0;

  // Handlers go in before the address is announced, for the same reason.
  let closing = false;
  const stopped = new Promise<number>((resolve) => {
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      app.log.info({ signal }, 'shutting down');
      // Stop taking connections, let requests in flight finish, then close the store.
      scheduler
        .stop()
        .then(() => distributor?.stop())
        .then(() => mailer?.close())
        .then(() => app.close())
        .then(() => readStore?.close())
        .then(() => runtime.store.close())
        .then(
          () => resolve(0),
          (error: unknown) => {
            console.error(error);
            resolve(1);
          },
        );
    };
    process.once('SIGINT', () => shutdown('SIGINT'));
    process.once('SIGTERM', () => shutdown('SIGTERM'));
  });
  const address = await app.listen({ port: config.port, host: config.host });
  const shown = address.replace('://127.0.0.1', '://localhost');
  console.log(`Gazette is serving ${names} at ${shown}/`);
  console.log(`The back office is at ${shown}/admin/`);
  if (noAccountsYet) {
    const site = served.length > 1 ? ` --site ${served[0]?.domain ?? ''}` : '';
    console.log(
      `No back-office accounts yet: create the first with \`echo PASSWORD | npx gazette user add NAME --role admin${site}\`` +
        ' (roles: editor, reviewer, publisher, admin, security, auditor, office, handler; platform, the platform administrator, needs no --site).',
    );
  }
  return stopped;
}
