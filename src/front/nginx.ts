import { GazetteError } from '../domain/index.js';
import { SITE_COOKIE } from '../web/served-sites.js';
import { HSTS, SECURITY_HEADERS } from '../web/static-pages.js';
import { frontLayout, TODAY_URI } from './layout.js';
import { sharedMaxAgeMaps } from './nginx-clock.js';
import type { FrontSite } from './protocol.js';

/** Where Debian's `libnginx-mod-http-brotli-static` puts its module. */
export const BROTLI_STATIC_MODULE = '/usr/lib/nginx/modules/ngx_http_brotli_static_module.so';

/** The front's nginx log format: the agent reads 浏览次数 from it, field by field. */
export const ACCESS_LOG_FORMAT = '$gz_site\\t$status\\t$request_method\\t$uri';

export interface NginxOptions {
  /** The front's folder (`--root`). */
  readonly root: string;
  /** nginx's `listen` address: `80`, `127.0.0.1:8080`, `[::]:80`. */
  readonly listen: string;
  /** The CMS side's public endpoint (`http://10.0.0.5:3000`); absent, what is not a stored file is 404. */
  readonly upstream?: string | null;
  /** The sites the front serves now: their time zones make the pages' `s-maxage`. */
  readonly sites: readonly FrontSite[];
  readonly contentSecurityPolicy: string;
  /** Whether the brotli_static module is installed: non-HTML files are then sent as their `.br` too. */
  readonly brotli: boolean;
  /** When the configuration is made: the time-zone offsets of the coming year are taken from it. */
  readonly now?: Date;
}

/** A proxied location whose answers the front keeps (theme files, media). */
const CACHED = [
  'proxy_cache gazette_files;',
  'proxy_cache_key $scheme$host$request_uri;',
  'proxy_cache_valid 200 10m;',
  'proxy_cache_use_stale error timeout updating http_500 http_502 http_503 http_504;',
  'proxy_cache_lock on;',
];

/** Text for nginx's double quotes; `$` cannot be escaped there, so such text is refused. */
function safe(value: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (/[$"\\\u0000-\u001f]/.test(value))
    throw new GazetteError('USAGE', { reason: `${what} may not hold $, ", \\ or control characters: ${value}` });
  return value;
}
const quoted = (value: string, what: string): string => `"${safe(value, what)}"`;

const LISTEN = /^(?:(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/;

function checkedListen(listen: string): string {
  const port = LISTEN.exec(listen)?.[1];
  if (port === undefined || Number(port) < 1 || Number(port) > 65535)
    throw new GazetteError('USAGE', {
      reason: `--listen takes PORT or ADDRESS:PORT, e.g. 80 or 0.0.0.0:80: ${listen}`,
    });
  return listen;
}

/** The upstream's scheme and `host:port` (nginx's upstream block takes no path). */
function checkedUpstream(upstream: string): { https: boolean; server: string; host: string } {
  let url: URL;
  try {
    url = new URL(upstream);
  } catch {
    throw new GazetteError('USAGE', { reason: `--upstream takes a URL, e.g. http://10.0.0.5:3000: ${upstream}` });
  }
  if (
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.username ||
    url.password ||
    url.pathname !== '/' ||
    url.search ||
    url.hash
  )
    throw new GazetteError('USAGE', {
      reason: `--upstream takes http:// or https:// and a host, without a path: ${upstream}`,
    });
  const https = url.protocol === 'https:';
  return { https, server: `${url.hostname}:${url.port || (https ? '443' : '80')}`, host: url.hostname };
}

/**
 * The nginx configuration of a front server (`gazette front nginx-config`), complete and runnable
 * as `nginx -c FILE -p PREFIX`: PREFIX holds nginx's pid, error log, temporary files and the
 * proxy cache; DIR (the front's folder) the pages and the agent's files. See the comments it
 * carries for what each part is for.
 */
export function nginxConfig(options: NginxOptions): string {
  const layout = frontLayout(options.root);
  const listen = checkedListen(options.listen);
  const upstream = options.upstream ? checkedUpstream(options.upstream) : null;
  const now = options.now ?? new Date();
  const csp = quoted(options.contentSecurityPolicy, 'the Content-Security-Policy');
  const folder = (file: string) => safe(file, 'the front’s folder');

  const security = [
    ...Object.entries(SECURITY_HEADERS).map(([name, value]) => `add_header ${name} ${quoted(value, name)} always;`),
    'add_header content-security-policy $gz_csp always;',
    // HSTS on HTTPS answers only, as Gazette sends it ($gz_hsts is empty on HTTP: no header).
    'add_header strict-transport-security $gz_hsts always;',
  ];
  // Buffered: one write per 64 KiB of lines, not per page read (a read is counted at most a second later).
  const pageLog = `access_log "${folder(layout.accessLog)}" gazette buffer=64k flush=1s;`;
  const notFound = (why: string) => [
    `# ${why}`,
    'default_type text/plain;',
    'charset utf-8;',
    ...security,
    'return 404 "Not Found\\n";',
  ];
  const proxied = (extra: readonly string[]): string[] =>
    upstream
      ? [
          `proxy_pass ${upstream.https ? 'https' : 'http'}://gazette_upstream;`,
          'proxy_http_version 1.1;',
          'proxy_set_header Connection "";',
          '# The reader’s host and path reach the CMS side as they were; the site is the Host’s.',
          'proxy_set_header Host $host;',
          'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
          'proxy_set_header X-Forwarded-Proto $scheme;',
          'proxy_set_header Cookie $gz_cookie;',
          'client_max_body_size 256m;',
          ...(upstream.https
            ? [
                'proxy_ssl_server_name on;',
                `proxy_ssl_name ${upstream.host};`,
                'proxy_ssl_verify on;',
                'proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;',
              ]
            : []),
          ...extra,
        ]
      : notFound('No --upstream: only stored pages are answered.');
  const html = (tryFiles: string): string[] => [
    `try_files ${tryFiles} @upstream;`,
    'types { }',
    'default_type text/html;',
    'charset utf-8;',
    '# The date bar and 浏览次数 are SSI includes; the Last-Modified and (weak) ETag are kept, and',
    '# change when the agent touches the page after the date changed.',
    'ssi on;',
    'ssi_last_modified on;',
    '# The page leaves in one writev, headers and includes with it: SSI has read it into memory',
    '# anyway, and sending its parts by sendfile between the includes took a dozen system calls.',
    '# (postpone_output stays within one of the two 32k output buffers, so a longer page still flows.)',
    'ssi_min_file_chunk 1m;',
    'postpone_output 32k;',
    '# Compressed here, after the includes: a stored .gz could not carry today’s date.',
    'gzip on;',
    'gzip_comp_level 5;',
    '# Also for HTTP/1.0 (some caches and CDNs ask their origin so).',
    'gzip_http_version 1.0;',
    'add_header cache-control "public, max-age=0, must-revalidate, s-maxage=$gz_shared_max_age";',
    'add_header vary Accept-Encoding;',
    ...security,
    pageLog,
  ];
  const file = (type: string): string[] => [
    'try_files $uri @upstream;',
    'types { }',
    `default_type ${type};`,
    'charset utf-8;',
    '# The agent stores each file’s .gz (and .br) beside it.',
    'gzip_static on;',
    ...(options.brotli ? ['brotli_static on;'] : []),
    'add_header cache-control "public, max-age=300";',
    'add_header vary Accept-Encoding;',
    ...security,
    pageLog,
  ];
  const block = (head: string, lines: readonly string[]): string[] => [
    `    ${head} {`,
    ...lines.map((line) => `      ${line}`),
    '    }',
  ];

  const lines = [
    '# A Gazette front server: generated by `gazette front nginx-config`; generate it again (and',
    '# `nginx -s reload`) when the front’s sites change. Run it in the foreground under a supervisor:',
    '#   nginx -c THIS_FILE -p PREFIX',
    '# PREFIX (a folder nginx may write) holds the pid file, error.log, temporary files and the cache.',
    `# The pages and the agent’s files are under ${layout.root}; nginx’s workers (nobody, when`,
    '# nginx starts as root) read www/ and state/include/ there.',
    upstream
      ? `# What is not a stored page goes to ${upstream.https ? 'https' : 'http'}://${upstream.server}: the CMS side’s public endpoint.`
      : '# No --upstream: what is not a stored page is a 404.',
    'daemon off;',
    'worker_processes auto;',
    'pid nginx.pid;',
    'error_log error.log warn;',
    ...(options.brotli ? [`load_module ${BROTLI_STATIC_MODULE};`] : []),
    '',
    'events {',
    '  worker_connections 4096;',
    '}',
    '',
    'http {',
    '  client_body_temp_path client_body_temp;',
    '  proxy_temp_path proxy_temp;',
    '  fastcgi_temp_path fastcgi_temp;',
    '  uwsgi_temp_path uwsgi_temp;',
    '  scgi_temp_path scgi_temp;',
    '  sendfile on;',
    '  tcp_nopush on;',
    '  server_tokens off;',
    '  # No open_file_cache for pages: a page replaced by the agent (a rename) must be read anew at once.',
    '  map_hash_max_size 65536;',
    '  map_hash_bucket_size 128;',
    '  charset_types text/plain text/css application/xml application/rss+xml application/atom+xml;',
    '  access_log off;',
    '  # Exactly this: the agent counts 浏览次数 from it (one line per page read, fields by tabs).',
    `  log_format gazette '${ACCESS_LOG_FORMAT}';`,
    '',
    '  # The agent writes hosts.map (`host siteId;` lines) from the sites the CMS pushes; a pattern,',
    '  # so that nginx starts before the first push wrote it.',
    '  map $host $gz_site {',
    '    hostnames;',
    '    default "";',
    `    include "${folder(layout.hostsMap.slice(0, -1))}[${layout.hostsMap.slice(-1)}]";`,
    '  }',
    ...sharedMaxAgeMaps(options.sites, now),
    '  # Constants, named once: the pages’ Content-Security-Policy.',
    `  map "" $gz_csp { default ${csp}; }`,
    '  map $https $gz_hsts {',
    `    on ${quoted(HSTS, 'HSTS')};`,
    '    default "";',
    '  }',
    '  # A site is chosen by the Host alone on a front: the cookie of /_site/ does not reach the CMS side.',
    '  map $http_cookie $gz_cookie {',
    '    default $http_cookie;',
    `    "~^(?<gz_c1>.*?)(?:^|;\\s*)${SITE_COOKIE}=[^;]*(?<gz_c2>.*)$" "$gz_c1$gz_c2";`,
    '  }',
    ...(upstream
      ? [
          '  upstream gazette_upstream {',
          `    server ${upstream.server};`,
          '    keepalive 32;',
          '  }',
          '  # Theme files and media are not in the manifest (never pushed): the CMS side serves',
          '  # them, and this cache keeps them here, by host (sites have media of their own).',
          '  proxy_cache_path cache levels=1:2 keys_zone=gazette_files:10m max_size=1g inactive=7d use_temp_path=off;',
        ]
      : []),
    '',
    '  server {',
    `    listen ${listen};`,
    '    server_name _;',
    '    # A host of no site: a short 404, not another site’s pages.',
    '    if ($gz_site = "") {',
    '      rewrite ^ /_gz_no_site last;',
    '    }',
    ...block('location = /_gz_no_site', ['internal;', ...notFound('A host the front serves no site for.')]),
    '    # The back office, the agent’s API and a reader’s site switch are never on a front.',
    ...block('location = /admin', notFound('The back office is not on a front.')),
    ...block('location ^~ /admin/', notFound('The back office is not on a front.')),
    ...block('location ^~ /_front/', notFound('The agent listens on its own address, never here.')),
    ...block('location ^~ /_site/', notFound('A front serves a site by its host only.')),
    '    # What the SSI includes read: the date bar and 浏览次数 the agent writes per site.',
    ...block(`location ^~ ${TODAY_URI.slice(0, TODAY_URI.lastIndexOf('/') + 1)}`, [
      'internal;',
      `alias "${folder(layout.include)}/$gz_site/";`,
      'log_not_found off;',
      'ssi off;',
      '# Read into memory, to leave with the page (see the pages’ postpone_output). Their descriptors',
      '# are kept (these small files only: pages are read anew each time): the agent replaces them',
      '# by a rename, seen within a second, as often as it rewrites 浏览次数 anyway.',
      'sendfile off;',
      'open_file_cache max=1000 inactive=20s;',
      'open_file_cache_valid 1s;',
    ]),
    '    # The API reads only: writes are the back office’s.',
    ...block('location ^~ /api/', [
      'if ($request_method !~ ^(GET|HEAD)$) {',
      '  charset utf-8;',
      ...security.map((line) => `  ${line}`),
      '  add_header allow "GET, HEAD" always;',
      '  return 405 "Method Not Allowed\\n";',
      '}',
      ...(upstream
        ? ['# For the answer above (a proxied answer keeps the upstream’s type).', 'default_type text/plain;']
        : []),
      ...proxied([]),
    ]),
    ...block('location ^~ /assets/', [...proxied(CACHED)]),
    ...block('location ^~ /media/', [...proxied(CACHED)]),
    '    # Dotfiles, and the compressed forms beside the stored files, are nobody’s URL.',
    ...block('location ~ /\\.', notFound('Dotfiles are not served.')),
    ...block('location ~ \\.(gz|br)$', notFound('The stored .gz and .br are sent by negotiation only.')),
    '    # Stored files, typed as Gazette types them (src/publish/output.ts contentTypeOf).',
    ...block('location ~ /rss\\.xml$', file('application/rss+xml')),
    ...block('location ~ /atom\\.xml$', file('application/atom+xml')),
    ...block('location ~ \\.xml$', file('application/xml')),
    ...block('location ~ \\.txt$', file('text/plain')),
    // The site's colours (/look.css); theme stylesheets are under /assets/, the CMS side's.
    ...block('location ~ \\.css$', file('text/css')),
    '    # A directory’s page (`/bqdt/` is bqdt/index.html): a folder without one is the CMS side’s.',
    ...block('location ~ /$', html('${uri}index.html')),
    ...block('location /', html('$uri')),
    '    # Anything not stored: search, letters, forms, pages rendered on demand, 404s.',
    ...block('location @upstream', proxied([])),
    `    root "${folder(layout.www)}/$gz_site";`,
    '  }',
    '}',
    '',
  ];
  return lines.join('\n');
}
