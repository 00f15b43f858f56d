// `npm run bench NAME [-- options]`: runs one benchmark and prints its figures as JSON.
import { benchSearch } from './search.js';
import { benchServe } from './serve.js';
import { benchPublish } from './publish.js';

const BENCHES: Record<string, (args: readonly string[]) => Promise<object>> = {
  search: benchSearch,
  serve: benchServe,
  publish: benchPublish,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench <${Object.keys(BENCHES).join('|')}> [-- options]`);
  process.exit(2);
}
try {
  console.log(JSON.stringify(await bench(args), null, 2));
} catch (error) {
  // A missing tool or a failed step: one clear line, not a stack trace through the bench.
  console.error(`bench ${name}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
process.exit(0);
