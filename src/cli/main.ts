// `gazette`: the command line. Each command calls the same services as the web server.
import { GazetteError, isGazetteError } from '../domain/index.js';
import { loadConfig } from '../config.js';
import { takeSiteOption } from './site-option.js';

/**
 * Each command's code is loaded when it runs: `gazette site add` does not load the web server,
 * the image library or the search index (the bundle keeps each in a chunk of its own), so a
 * short command starts in a fraction of the time `serve` needs.
 */
const COMMANDS: Readonly<Record<string, (rest: readonly string[]) => Promise<number>>> = {
  serve: async () => (await import('./serve.js')).serve(),
  import: async (rest) => (await import('./import.js')).importCommand(rest),
  'migrate-site': async (rest) => (await import('./migrate-site.js')).migrateSiteCommand(rest),
  export: async (rest) => (await import('./exchange.js')).exportCommand(rest),
  fields: async (rest) => (await import('./exchange.js')).fieldsCommand(rest),
  search: async (rest) => (await import('./search.js')).searchCommand(rest),
  user: async (rest) => (await import('./accounts.js')).userCommand(rest),
  audit: async (rest) => (await import('./accounts.js')).auditCommand(rest),
  build: async (rest) => (await import('./build.js')).buildCommand(rest),
  demo: async (rest) => (await import('./demo.js')).demoCommand(rest),
  disclosure: async (rest) => (await import('./disclosure.js')).disclosureCommand(rest),
  'migrate-store': async (rest) => (await import('./transfer.js')).migrateStoreCommand(rest),
  backup: async (rest) => (await import('./transfer.js')).backupCommand(rest),
  restore: async (rest) => (await import('./transfer.js')).restoreCommand(rest),
  check: async (rest) => (await import('./check.js')).checkCommand(rest),
  site: async (rest) => (await import('./site.js')).siteCommand(rest),
  key: async (rest) => (await import('./key.js')).keyCommand(rest),
  front: async (rest) => (await import('./front.js')).frontCommand(rest),
  'verify-output': async (rest) => (await import('./verify-output.js')).verifyOutputCommand(rest),
  redirects: async (rest) => (await import('./redirects.js')).redirectsCommand(rest),
  theme: async (rest) => (await import('./theme.js')).themeCommand(rest),
};

const HELP = `Usage: gazette <command>

Commands:
  serve            serve the portal on PORT (default 3000); the first start creates a demo site
  import FILE…     import article pages (page text or HTML); prints each article's URL path
  migrate-site SOURCE [--dry-run] [--report FILE] [--concurrency N] [--rate R] [--since DATE] [--resume] [--map FILE] [--origin URL]
                   move an old site (its address, or a wget copy) onto this site: articles, files, columns; old URLs answer 301
  import --type TYPE FILE…   import a type's items from JSON or xlsx files (as export writes them), one transaction per file
  export --type TYPE [--format json|xlsx] [--out FILE]   every item of a type (政策文件, policy…) with all its values
  fields list|add|remove --type TYPE …   a type's fields; add --name N --label L --kind K [--options a,b] [--required]; remove --name N [--force]
  search QUERY     search the site (--json, --channel ID, --from/--to YYYY-MM-DD, --type, --page)
  search reindex   rebuild the search index, with a progress bar
  search synonyms|stopwords list|add|remove   edit the search word lists
  user add NAME --role ROLE [--channel /path/] [--name DISPLAY]   create an account (password on stdin)
  user list        the accounts and their roles
  audit verify     check the audit log's hash chain (exit 1 if broken)
  build [--workers N]   render every page into the output store (GAZETTE_DATA/public), resumable; N render threads (default: one per core)
  demo --articles N [--channels M] [--seed S] [--body-chars C] [--search]   add N generated, published articles
  migrate-store --from URL --to URL   copy the whole site into an empty store (sqlite:PATH or postgres://…), verified
  backup FILE      write the store and its media files to FILE (gzipped JSON Lines), while the site runs
  restore FILE     restore a backup into the empty store, verified, and rebuild the search index
  disclosure report [--year YYYY] [--json]   信息公开 annual report figures by 主题分类, 公开方式, 发布机构
  check [--json] [--external [--allow-private CIDR|HOST,…]]   the site's health report (单项否决 and score; exit 1 when a veto item fails)
  check links [--json] [--external [--allow-private CIDR|HOST,…]]   broken links and missing media per page, with the article to fix (exit 1 if any)
  site add HOST --name NAME [--code CODE] [--parent HOST]   add a site to the platform (also: site list|set|default|archive|remove)
  key new | rotate   print a new GAZETTE_DATA_KEY (personal data of letters); re-seal under a new one
  front --root DIR --listen ADDR --token-file F [--sweep-minutes N]   run the front-server agent (receives pushes, guards the files)
  front nginx-config --root DIR --listen ADDR [--upstream URL]   print the front's nginx configuration
  front add URL --name N --token-file F [--sites HOST,…] | list [--json] | remove NAME   the front servers the CMS pushes to
  verify-output [--repair] [--json]   check every published file against the manifest (exit 1 when any differs); --repair writes them again
  redirects export --format nginx|csv [--out FILE]   a migrated site's old URLs and their new places: an nginx map (front server, CDN) or CSV
  theme export|import DIR   the site's own templates (模板编辑) as files: export writes one NAME.liquid each and gazette-theme.json; import checks every file first (any bad one: nothing changes)
  help             this text

Environment: PORT, HOST, GAZETTE_DATA (./data), DATABASE_URL (postgres://…), DATABASE_READ_URL, GAZETTE_NOW,
GAZETTE_TZ (Asia/Shanghai), LOG_LEVEL, GAZETTE_LANG (zh|en), GAZETTE_DATA_KEY (64 hex: the public forms' personal data),
GAZETTE_FRONT_TLS_CERT, GAZETTE_FRONT_TLS_KEY (the CMS's client certificate for fronts started with --tls-ca), GAZETTE_FRONT_TLS_CA (the fronts' authority)`;

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  const run = command !== undefined && Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (run) return run(rest);
  switch (command) {
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return command === undefined ? 2 : 0;
    default:
      throw new GazetteError('USAGE', { reason: `unknown command "${command}"; see gazette help` });
  }
}

function lang() {
  try {
    return loadConfig().lang;
  } catch {
    return 'en' as const;
  }
}

// `gazette search … | head` closes the pipe early; that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

Promise.resolve()
  .then(() => main(takeSiteOption(process.argv.slice(2))))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      if (isGazetteError(error)) {
        console.error(`gazette: ${error.report(lang())}`);
        process.exitCode = 2;
      } else {
        console.error(error);
        process.exitCode = 1;
      }
    },
  );
