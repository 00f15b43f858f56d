// `npm run bench NAME [-- options]`: runs one benchmark and prints its figures as JSON.
import { benchSearch } from './search.js';
import { benchServe } from './serve.js';
import { benchPublish } from './publish.js';
import { benchScale } from './scale.js';
import { benchCheck } from './check.js';
import { benchRender } from './render.js';
import { benchPlatform } from './platform.js';
import { benchSoak } from './soak.js';
import { benchTypes } from './types.js';
import { benchFront } from './front.js';
import { benchMigrate } from './migrate.js';
import { cleanUpOnSignals } from './support.js';

const BENCHES: Record<string, (args: readonly string[]) => Promise<object>> = {
  search: benchSearch,
  serve: benchServe,
  publish: benchPublish,
  scale: benchScale,
  check: benchCheck,
  render: benchRender,
  platform: benchPlatform,
  soak: benchSoak,
  types: benchTypes,
  front: benchFront,
  migrate: benchMigrate,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench <${Object.keys(BENCHES).join('|')}> [-- options]`);
  process.exit(2);
}
cleanUpOnSignals();
try {
  console.log(JSON.stringify(await bench(args), null, 2));
} catch (error) {
  // A missing tool or a failed step: one clear line; BENCH_DEBUG=1 adds the stack.
  const stack = process.env.BENCH_DEBUG === '1' && error instanceof Error ? `\n${error.stack}` : '';
  console.error(`bench ${name}: ${error instanceof Error ? error.message : String(error)}${stack}`);
  process.exit(1);
}
process.exit(0);
