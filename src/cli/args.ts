import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GazetteError } from '../domain/index.js';

/** A USAGE error (exit 2): what was wrong, then the command's usage text. */
export function usageError(reason: string, usage: string): GazetteError {
  return new GazetteError('USAGE', { reason: `${reason}\n${usage}` });
}

/** `parseArgs`, with its refusals (an unknown option, a missing value) as USAGE errors ending in `usage`. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    return parseArgs(config);
  } catch (error) {
    throw usageError(error instanceof Error ? error.message : String(error), usage);
  }
}
