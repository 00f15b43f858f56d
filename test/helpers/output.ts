import fs from 'node:fs';
import path from 'node:path';

/** Every file under a folder (pages and their .gz/.br forms), by relative path. */
export function snapshot(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (at: string) => {
    for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.set(path.relative(dir, full), fs.readFileSync(full));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return files;
}

/** URL paths of the pages whose files differ between two snapshots. */
export function changedPages(before: Map<string, Buffer>, after: Map<string, Buffer>): string[] {
  const names = new Set([...before.keys(), ...after.keys()].filter((n) => !n.endsWith('.gz') && !n.endsWith('.br')));
  const changed: string[] = [];
  for (const name of names) {
    const a = before.get(name);
    const b = after.get(name);
    if (a && b && a.equals(b)) continue;
    changed.push(`/${name}`.replace(/\/index\.html$/, '/'));
  }
  return changed.sort();
}
