import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkDir } from '../infra/managed-process.js';
import { checkOutput, type ReadmeBlock, readmeBlocks } from './readme-blocks.js';
import { repoRoot } from './spawn-service.js';

/**
 * The README's walkthrough, run as a new user runs it: `npm start` in a folder that looks
 * like a fresh clone with its dependencies installed (every tracked top-level entry of the
 * repository and node_modules, linked), then every ```sh block of README.md in order, in one
 * bash (`set -euo pipefail`) in that folder — the "second terminal, in the same folder".
 * Blocks marked `<!-- not run: … -->` are left out. The exchange listens on a free port,
 * since 8080 may be taken: the blocks' http://127.0.0.1:8080 becomes its URL, and PDX_URL
 * tells pdx the same. A block that fails, or whose output does not show what its `# → …`
 * lines say, fails the test with its README line and its output.
 */

const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
const DOCUMENTED_URL = 'http://127.0.0.1:8080';
/** The environment of a new user's terminal: nothing of the test runner's own settings. */
const userEnv = (): Record<string, string> => ({
  PATH: `${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  HOME: process.env.HOME ?? '/tmp',
  LANG: 'C.UTF-8',
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
});

/** A folder like a fresh clone after `npm install`: the tracked entries and node_modules, linked. */
function cloneLike(dir: string): void {
  const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: repoRoot, encoding: 'utf8' });
  const names =
    tracked.status === 0
      ? [
          ...new Set(
            tracked.stdout
              .split('\0')
              .filter(Boolean)
              .map((f) => f.split('/')[0]!),
          ),
        ]
      : readdirSync(repoRoot).filter((n) => !n.startsWith('.'));
  for (const name of new Set([...names, 'node_modules'])) symlinkSync(join(repoRoot, name), join(dir, name));
}

interface Exchange {
  child: ChildProcess;
  url: string;
  output(): string;
  exited: Promise<unknown>;
}

/** `npm start` in its own process group (npm, its shell and node), up once it logs its URL. */
function npmStart(cwd: string, timeoutMs: number): Promise<Exchange> {
  const child = spawn('npm', ['start'], {
    cwd,
    env: { ...userEnv(), PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroupOnExit(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`npm start did not listen in ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.includes('"pdx listening"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({ child, url: (JSON.parse(line) as { url: string }).url, output: () => out, exited });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`npm start exited before listening:\n${out}`));
    });
  });
}

/** If this process ends first, the group goes too (npm's child would otherwise outlive it). */
function killGroupOnExit(child: ChildProcess): void {
  const kill = () => {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    } catch {}
  };
  process.on('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

/**
 * Whatever a block left running in the folder (a README that starts a server in a block):
 * found by its working directory, which is this test's own folder, and killed.
 */
function killLeftovers(dir: string): void {
  if (process.platform !== 'linux') return;
  const real = realpathSync(dir);
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd === real || cwd.startsWith(`${real}/`)) process.kill(Number(pid), 'SIGKILL');
    } catch {}
  }
}

async function stop(exchange: Exchange | undefined): Promise<void> {
  if (!exchange || exchange.child.exitCode !== null || exchange.child.pid === undefined) return;
  const group = -exchange.child.pid;
  process.kill(group, 'SIGTERM');
  const killed = setTimeout(() => {
    try {
      process.kill(group, 'SIGKILL');
    } catch {}
  }, 15_000);
  await exchange.exited;
  clearTimeout(killed);
}

/** One bash running every block in order, each between markers; stdout and stderr merged. */
function script(blocks: readonly ReadmeBlock[], url: string): string {
  return [
    'exec 2>&1',
    'set -euo pipefail',
    ...blocks.flatMap((b) => [
      `printf '\\n@@readme-block ${b.line}@@\\n'`,
      b.code.replaceAll(DOCUMENTED_URL, url),
      `printf '\\n@@readme-end ${b.line}@@\\n'`,
    ]),
  ].join('\n');
}

function runScript(
  file: string,
  cwd: string,
  url: string,
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', ['--noprofile', '--norc', file], {
    cwd,
    env: { ...userEnv(), PDX_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  killGroupOnExit(child);
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      output += `\n[the blocks did not finish in ${timeoutMs} ms; stopped]\n`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('README: every shell block runs as written against a fresh npm start', () => {
  let dir: string;
  let exchange: Exchange | undefined;
  const blocks = readmeBlocks(readme);
  const run = blocks.filter((b) => !b.notRun);

  beforeAll(async () => {
    // Build in the repository itself first (nothing to do after `npm test`'s build): the
    // linked folder reaches the sources through symlinks, and a tsc that had to rebuild there
    // would see two paths to node_modules (TS2742) and fail where a real clone would not.
    const build = spawnSync(process.execPath, [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b'], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(build.status, `${build.stdout}${build.stderr}`).toBe(0);
    dir = await makeWorkDir('pdx-readme-');
    cloneLike(dir);
    // npm start builds first (nothing to do after `npm test`'s build), then listens.
    exchange = await npmStart(dir, 150_000);
  }, 170_000);

  afterAll(async () => {
    await stop(exchange);
    if (dir) {
      killLeftovers(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it('npm start says that it builds, then how long it took, then the URL', () => {
    const out = exchange!.output();
    const building = out.indexOf('pdx: building first');
    const built = out.indexOf('pdx: built in');
    const listening = out.indexOf('"pdx listening"');
    expect(building, out).toBeGreaterThanOrEqual(0);
    expect(built, out).toBeGreaterThan(building);
    expect(listening, out).toBeGreaterThan(built);
  });

  it('runs each block in order and each shows what the README says', async () => {
    expect(run.length).toBeGreaterThan(8);
    const file = join(dir, '.readme-blocks.sh');
    writeFileSync(file, script(run, exchange!.url));
    // About 30 s on an idle 2-core machine; the limit allows for a loaded one.
    const { code, output } = await runScript(file, dir, exchange!.url, 240_000);
    for (const block of run) {
      const start = output.indexOf(`@@readme-block ${block.line}@@\n`);
      const end = output.indexOf(`@@readme-end ${block.line}@@\n`);
      const shown =
        start < 0
          ? ''
          : output
              .slice(start, end < 0 ? undefined : end)
              .split('\n')
              .slice(1)
              .join('\n');
      if (start < 0 || end < 0) {
        throw new Error(
          `README.md:${block.line}: the block ${start < 0 ? 'did not start' : code === null ? 'did not finish in time' : `failed (bash exit ${code})`}; its output:\n${shown}\n--- the exchange's last log lines:\n${exchange!.output().slice(-3000)}`,
        );
      }
      const problems = checkOutput(block, shown);
      if (problems.length > 0)
        throw new Error(`README.md:${block.line}: ${problems.join('; ')}; its output:\n${shown}`);
    }
    expect(code, output.slice(-3000)).toBe(0);
  }, 250_000);
});
