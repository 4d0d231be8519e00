#!/usr/bin/env node
// Entry point kept in the repository so `npm install` can link it before the first build.
import { existsSync } from 'node:fs';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('pdx: not built yet; run `npm run build` in the repository first\n');
  process.exit(1);
}
await import(main.href);
