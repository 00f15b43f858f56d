import fs from 'node:fs';
import { FrontState } from '../front/agent/state.js';
import { frontLayout } from '../front/layout.js';
import { BROTLI_STATIC_MODULE, nginxConfig } from '../front/nginx.js';
import type { FrontSite } from '../front/protocol.js';
import { DEFAULT_THEME_DIR, publicContentSecurityPolicy } from '../theme/index.js';
import { parseCommandArgs, usageError } from './args.js';

const USAGE = 'gazette front nginx-config --root DIR --listen ADDR [--upstream URL]';

/**
 * The configuration `gazette front nginx-config` prints, for the sites the agent holds now (their
 * time zones are in it: print it again and reload nginx when they change), and a note for the
 * operator when there is one.
 */
export function nginxConfigOf(args: readonly string[], now = new Date()): { config: string; note: string | null } {
  const { values } = parseCommandArgs(
    {
      args: [...args],
      options: { root: { type: 'string' }, listen: { type: 'string' }, upstream: { type: 'string' } },
    },
    USAGE,
  );
  if (!values.root || !values.listen) throw usageError('--root and --listen are needed', USAGE);
  const layout = frontLayout(values.root);
  // A front the agent has not started on yet has no state: no sites (a mistyped --root makes none).
  let sites: FrontSite[] = [];
  if (fs.existsSync(layout.db)) {
    const state = new FrontState(layout);
    try {
      sites = state.sites();
    } finally {
      state.close();
    }
  }
  const config = nginxConfig({
    root: layout.root,
    listen: values.listen,
    upstream: values.upstream ?? null,
    sites,
    contentSecurityPolicy: publicContentSecurityPolicy({ dir: DEFAULT_THEME_DIR }),
    brotli: fs.existsSync(BROTLI_STATIC_MODULE),
    now,
  });
  const note =
    sites.length === 0
      ? `No site has been pushed to ${layout.root} yet: print this again after the first push (and reload nginx), so that pages get their own time zone’s s-maxage.`
      : null;
  return { config, note };
}

export function nginxConfigCommand(args: readonly string[]): number {
  const { config, note } = nginxConfigOf(args);
  if (note) process.stderr.write(`${note}\n`);
  process.stdout.write(config);
  return 0;
}
