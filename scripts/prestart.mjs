// `npm start` builds before it starts. The first build (every package type-checked and
// compiled) sits silent for about a minute, so say so first, then build, then say how long it
// took and where the exchange will listen; the exchange's own log line "pdx listening" carries
// its URL once it is up. Measured on a 2-core machine: 53 s from a fresh clone (39 s of CPU;
// three minutes while other builds and tests shared the machine), 1 to 2 s when nothing changed.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { buildConsole } from './build-console.mjs';

const say = (line) => process.stderr.write(`pdx: ${line}\n`);
const fresh = !existsSync(new URL('../services/standalone/dist/main.js', import.meta.url));
say(
  fresh
    ? 'building first (tsc -b, then the console with Vite): about a minute on a fresh clone (longer on a busy machine), a few seconds on later starts…'
    : 'building first (tsc -b, then the console with Vite): a few seconds when little changed…',
);
const started = performance.now();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const build = spawnSync(process.execPath, [tsc, '-b'], { stdio: 'inherit' });
if (build.status !== 0) {
  say('the build failed (see above); nothing was started');
  process.exit(build.status ?? 1);
}
// The web console (Vite, about 2 s; skipped when its build is current).
const consoleStatus = buildConsole();
if (consoleStatus !== 0) {
  say('the console build failed (see above); nothing was started');
  process.exit(consoleStatus);
}
const port = process.env.PORT ?? '8080';
const where = port === '0' ? 'a free port' : `http://${process.env.HOST ?? '127.0.0.1'}:${port}`;
say(
  `built in ${((performance.now() - started) / 1000).toFixed(1)} s; starting the exchange on ${where} (data in ${process.env.PDX_DATA_DIR ?? './.pdx-data'})…`,
);
