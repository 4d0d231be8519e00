import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, open, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a child process ended: an exit code, a signal, or a failure to start at all. */
export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/** A child process whose output goes to a log file and which cannot outlive the test run. */
export interface ManagedProcess {
  readonly logFile: string;
  readonly child: ChildProcess;
  /** Settles once the process has exited (or failed to spawn); never rejects. */
  readonly exited: Promise<ExitStatus>;
  /** The exit status, or undefined while the process runs. */
  exitStatus(): ExitStatus | undefined;
  /** SIGTERM, then SIGKILL once `graceMs` has passed; resolves when the process is gone. Idempotent. */
  stop(graceMs: number): Promise<void>;
}

export interface SpawnManagedOptions {
  command: string;
  args: readonly string[];
  cwd: string;
  /** stdout and stderr are appended here, unless `stdout: 'pipe'` keeps stdout for the caller. */
  logFile: string;
  /** 'pipe' leaves stdin open for the child to watch for EOF (the parent died). */
  stdin?: 'ignore' | 'pipe';
  stdout?: 'log' | 'pipe';
}

/**
 * The repository root: the nearest folder above this file holding scripts/provision.sh.
 * Walking up works both from test/infra (vitest) and from test/dist/infra (the benchmark).
 */
export function findRepoRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'scripts', 'provision.sh'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no scripts/provision.sh above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/**
 * A fresh working folder `<tmpdir>/<prefix>XXXXXX` owned by this process. Folders left by
 * owners that died without cleaning up (SIGKILL, a crash) are deleted on the way.
 */
export async function makeWorkDir(prefix: string): Promise<string> {
  const base = tmpdir();
  const leftovers = (await readdir(base)).filter((name) => name.startsWith(prefix));
  await Promise.all(
    leftovers.map(async (name) => {
      const dir = join(base, name);
      const owner = Number.parseInt(await readFile(join(dir, OWNER_FILE), 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && !isAlive(owner)) await rm(dir, { recursive: true, force: true });
    }),
  );
  const dir = await mkdtemp(join(base, prefix));
  await writeFile(join(dir, OWNER_FILE), `${process.pid}\n`);
  return dir;
}

const OWNER_FILE = 'owner.pid';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: alive, but someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Where scripts/provision.sh puts Kafka and FerretDB: $PDX_CACHE, else ~/.cache/pdx. */
export function defaultCacheDir(): string {
  return process.env.PDX_CACHE || join(homedir(), '.cache', 'pdx');
}

const provisioning = new Map<string, Promise<void>>();

/**
 * Runs scripts/provision.sh unless `marker` exists. One run per cache folder per process:
 * Kafka and FerretDB start side by side and would otherwise both provision everything.
 */
export async function ensureProvisioned(cacheDir: string, marker: string): Promise<void> {
  if (existsSync(marker)) return;
  let run = provisioning.get(cacheDir);
  if (run === undefined) {
    run = runProvision(cacheDir).finally(() => provisioning.delete(cacheDir));
    provisioning.set(cacheDir, run);
  }
  await run;
  if (!existsSync(marker)) {
    throw new Error(
      `scripts/provision.sh succeeded but ${marker} is missing: do the versions in provision.sh and test/infra agree?`,
    );
  }
}

async function runProvision(cacheDir: string): Promise<void> {
  const root = findRepoRoot();
  const tail: string[] = [];
  const child = spawn('bash', [join(root, 'scripts', 'provision.sh')], {
    cwd: root,
    env: { ...process.env, PDX_CACHE: cacheDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Shown as it happens (a cold build takes a minute) and kept for the error message.
  const keep = (chunk: Buffer) => {
    process.stderr.write(chunk);
    tail.push(...chunk.toString().split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const status = await exitOf(child);
  if (status.error) throw new Error(`could not run scripts/provision.sh: ${status.error.message}`);
  if (status.code !== 0) {
    throw new Error(
      `scripts/provision.sh failed (${describeExit(status)}); run \`npm run provision\` to see why.\n${tail.join('\n')}`,
    );
  }
}

/**
 * Free TCP ports on the loopback interface, all distinct. Another process may still take
 * one before the caller binds it; callers that cannot bind port 0 retry on a clash.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('unexpected server address');
      return address.port;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}

let pdeathsig: boolean | undefined;

/**
 * Whether util-linux `setpriv --pdeathsig` is available. It makes the kernel kill the child
 * when the parent dies, even by SIGKILL, where no 'exit' handler runs.
 */
function hasPdeathsig(): boolean {
  if (pdeathsig === undefined) {
    // util-linux added --pdeathsig in 2.33; older setprivs would refuse the option.
    pdeathsig =
      process.platform === 'linux' &&
      (spawnSync('setpriv', ['--help'], { encoding: 'utf8' }).stdout ?? '').includes('--pdeathsig');
  }
  return pdeathsig;
}

/** Spawns a long-running child with its output in `logFile`; it is killed if this process exits. */
export function spawnManaged(options: SpawnManagedOptions): ManagedProcess {
  const logFd = openSync(options.logFile, 'a');
  let child: ChildProcess;
  try {
    const [command, args] = hasPdeathsig()
      ? ['setpriv', ['--pdeathsig', 'KILL', '--', options.command, ...options.args]]
      : [options.command, [...options.args]];
    child = spawn(command, args, {
      cwd: options.cwd,
      stdio: [options.stdin ?? 'ignore', options.stdout === 'pipe' ? 'pipe' : logFd, logFd],
    });
  } finally {
    closeSync(logFd);
  }

  const killOnExit = () => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  let status: ExitStatus | undefined;
  const exited = exitOf(child).then((s) => {
    status = s;
    process.off('exit', killOnExit);
    return s;
  });

  let stopping: Promise<void> | undefined;
  const stop = (graceMs: number): Promise<void> => {
    stopping ??= (async () => {
      if (status !== undefined) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), graceMs);
      });
      if ((await Promise.race([exited, graceOver])) === 'timeout') child.kill('SIGKILL');
      clearTimeout(timer);
      await exited;
    })();
    return stopping;
  };

  return { logFile: options.logFile, child, exited, exitStatus: () => status, stop };
}

function exitOf(child: ChildProcess): Promise<ExitStatus> {
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
  });
}

export function describeExit(status: ExitStatus): string {
  if (status.error) return status.error.message;
  return status.signal ? `killed by ${status.signal}` : `exit code ${status.code}`;
}

/** The last lines of a log file, for error messages; empty if it cannot be read. */
export async function logTail(file: string, maxBytes = 6_000): Promise<string> {
  try {
    const handle = await open(file, 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, maxBytes);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      const text = buffer.toString('utf8');
      // Drop the partial first line when the read started mid-file.
      return length < size ? text.slice(text.indexOf('\n') + 1) : text;
    } finally {
      await handle.close();
    }
  } catch {
    return '';
  }
}

/** An error whose message ends with the last lines of the process log. */
export async function withLogTail(message: string, logFile: string, cause?: unknown): Promise<Error> {
  const tail = (await logTail(logFile)).trimEnd();
  const body = tail ? `\n--- last lines of ${logFile} ---\n${tail}\n---` : `\n(${logFile} is empty)`;
  return new Error(`${message}${body}`, cause === undefined ? undefined : { cause });
}

export interface WaitUntilReadyOptions {
  /** What is starting, for messages: "Kafka 3.9.1". */
  what: string;
  process: ManagedProcess;
  timeoutMs: number;
  /** Resolves once the service answers; rejects (quickly, with its own timeout) otherwise. */
  probe: () => Promise<void>;
  intervalMs?: number;
}

/** Polls `probe` until it succeeds; fails early if the process exits, or at the deadline. */
export async function waitUntilReady(options: WaitUntilReadyOptions): Promise<void> {
  const { what, process: proc, timeoutMs, probe, intervalMs = 250 } = options;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const status = proc.exitStatus();
    if (status !== undefined) {
      throw await withLogTail(`${what} exited before it was ready (${describeExit(status)})`, proc.logFile);
    }
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw await withLogTail(
        `${what} was not ready after ${timeoutMs / 1000} s (last probe: ${reason})`,
        proc.logFile,
        lastError,
      );
    }
    await Promise.race([new Promise((resolve) => setTimeout(resolve, intervalMs)), proc.exited]);
  }
}

/** Runs a short-lived command to completion with its output appended to `logFile`. */
export async function runLogged(
  command: string,
  args: readonly string[],
  options: { cwd: string; logFile: string; timeoutMs: number; what: string },
): Promise<void> {
  const proc = spawnManaged({ command, args, cwd: options.cwd, logFile: options.logFile });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs);
  });
  const result = await Promise.race([proc.exited, timedOut]);
  clearTimeout(timer);
  if (result === 'timeout') {
    await proc.stop(1_000);
    throw await withLogTail(`${options.what} did not finish within ${options.timeoutMs} ms`, options.logFile);
  }
  if (result.code !== 0) {
    throw await withLogTail(`${options.what} failed (${describeExit(result)})`, options.logFile);
  }
}
