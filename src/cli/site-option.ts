import { GazetteError } from '../domain/index.js';

/** The host of `--site HOST`, taken off the command line by `takeSiteOption`. */
let chosen: string | undefined;

/**
 * Takes `--site HOST` (or `--site=HOST`) off the arguments: every command that works on a site
 * works on that one. Without it a command works on the platform's only site, and with several
 * sites it stops with an error naming them. Kept apart from the runtime so that reading the
 * command line loads nothing else.
 */
export function takeSiteOption(argv: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--site') {
      const host = argv[i + 1];
      if (host === undefined || host.startsWith('--'))
        throw new GazetteError('USAGE', { reason: '--site needs a host name, e.g. --site www.example.gov.cn' });
      chosen = host;
      i++;
    } else if (arg.startsWith('--site=')) chosen = arg.slice('--site='.length);
    else rest.push(arg);
  }
  return rest;
}

/** The host `--site` named, if any. */
export function siteOption(): string | undefined {
  return chosen;
}
