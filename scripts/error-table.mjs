// Rewrites the README's error table from the error catalog (packages/contracts, built).
// A unit test fails while the two differ: run `npm run build && npm run docs:errors`.
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCatalog } from '@pdx/contracts';

const file = new URL('../README.md', import.meta.url);
const lines = readFileSync(file, 'utf8').split('\n');
const start = lines.findIndex((l) => /^\|\s*Code\s*\|\s*Status/.test(l));
if (start < 0) throw new Error('README has no error table');
let end = start;
while (lines[end]?.startsWith('|')) end++;
const rows = Object.entries(errorCatalog).map(
  ([code, e]) => `| \`${code}\` | ${e.status ?? '—'} | ${e.title} |`,
);
lines.splice(start, end - start, '| Code | Status | Meaning |', '|---|---|---|', ...rows);
writeFileSync(file, lines.join('\n'));
console.log(`README error table: ${rows.length} codes`);
