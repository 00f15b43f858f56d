import { GazetteError } from '../domain/index.js';
import { newDataKeyHex, resealPersonalData } from '../services/index.js';
import { openRuntime } from './runtime.js';

const USAGE = [
  'gazette key new      print a new GAZETTE_DATA_KEY (32 random bytes, 64 hex characters)',
  '       gazette key rotate   seal the personal data kept under GAZETTE_DATA_KEY_PREVIOUS again with GAZETTE_DATA_KEY',
].join('\n');

/**
 * `gazette key`: the key that seals the personal data of letters from the public. A rotation is
 * started by setting the new key as GAZETTE_DATA_KEY and the old one as GAZETTE_DATA_KEY_PREVIOUS;
 * the server re-seals in the background, and `key rotate` does the rest at once.
 */
export async function keyCommand(rest: readonly string[]): Promise<number> {
  const [sub, ...extra] = rest;
  if (extra.length > 0) throw new GazetteError('USAGE', { reason: USAGE });
  if (sub === 'new') {
    console.log(newDataKeyHex());
    return 0;
  }
  if (sub !== 'rotate') throw new GazetteError('USAGE', { reason: USAGE });
  const runtime = await openRuntime();
  try {
    if (!runtime.dataKeys?.previous)
      throw new GazetteError('USAGE', {
        reason: 'set the new key as GAZETTE_DATA_KEY and the old one as GAZETTE_DATA_KEY_PREVIOUS first',
      });
    let total = 0;
    for (let done = await resealPersonalData(runtime); done > 0; done = await resealPersonalData(runtime))
      total += done;
    console.log(
      `sealed the personal data of ${total} cases (letters and disclosure requests) with key ${runtime.dataKeys.current.id}`,
    );
    return 0;
  } finally {
    await runtime.store.close();
  }
}
