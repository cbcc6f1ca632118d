// Prints how much JavaScript the built console's first load fetches (gzipped), and fails the
// build above the budget: the entry script and every chunk index.html preloads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 300 * 1024;
const root = new URL('../dist/console/', import.meta.url).pathname;
const html = readFileSync(join(root, 'index.html'), 'utf8');
const scripts = [
  ...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g),
].map((match) => match[1]);
let total = 0;
for (const file of new Set(scripts)) {
  const size = gzipSync(readFileSync(join(root, file)), { level: 9 }).length;
  total += size;
  process.stdout.write(`  ${file}  ${(size / 1024).toFixed(1)} KB gzipped\n`);
}
const verdict = total <= BUDGET_BYTES ? 'within' : 'OVER';
process.stdout.write(
  `console first load: ${(total / 1024).toFixed(1)} KB of JavaScript gzipped (${verdict} the ${BUDGET_BYTES / 1024} KB budget)\n`,
);
if (total > BUDGET_BYTES) process.exit(1);
