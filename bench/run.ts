// `npm run bench NAME [-- options]`: runs one benchmark and prints its figures as JSON.
import { benchSearch } from './search.js';

const BENCHES: Record<string, (args: readonly string[]) => Promise<object>> = {
  search: benchSearch,
};

const [name, ...args] = process.argv.slice(2);
const bench = name ? BENCHES[name] : undefined;
if (!bench) {
  console.error(`Usage: npm run bench <${Object.keys(BENCHES).join('|')}> [-- options]`);
  process.exit(2);
}
console.log(JSON.stringify(await bench(args), null, 2));
process.exit(0);
