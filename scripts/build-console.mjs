// Builds the web console (services/console) with Vite into services/console/dist, which the
// standalone process and the gateway serve at `/`. Skipped when the build is newer than every
// source file (`--force` builds anyway): `npm start` stays a second or two when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../services/console/', import.meta.url));
const built = join(root, 'dist', 'index.html');

function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Builds unless up to date; returns the exit status (0: built or up to date). */
export function buildConsole({ force = false } = {}) {
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(root, p));
  if (!force && existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newest))) return 0;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  return (
    spawnSync(process.execPath, [vite, 'build', root, '--logLevel', 'warn'], { stdio: 'inherit' }).status ?? 1
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(buildConsole({ force: process.argv.includes('--force') }));
}
