import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import mongoose from 'mongoose';
import {
  defaultCacheDir,
  ensureProvisioned,
  type ManagedProcess,
  makeWorkDir,
  spawnManaged,
  waitUntilReady,
  withLogTail,
} from './managed-process.js';

/** Must match FERRETDB_VERSION in scripts/provision.sh, which builds the binary. */
export const FERRETDB_VERSION = 'v1.24.2';

export interface LocalFerretDbOptions {
  /** Holds ferretdb-<version>/ferretdb; default $PDX_CACHE or ~/.cache/pdx. */
  cacheDir?: string;
  /** Loopback port to listen on; default 0, a free port the server picks itself. */
  port?: number;
  /** How long to wait for the server to answer; default 60 s. */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL on stop; default 5 s. */
  stopGraceMs?: number;
}

export interface LocalFerretDb {
  /** MongoDB connection string without a database name: mongodb://127.0.0.1:PORT/ */
  uri: string;
  /** Server output, kept until stop() removes the working folder. */
  logFile: string;
  /** Stops the server and deletes its data. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts FerretDB (MongoDB wire protocol on SQLite) on a loopback port with a fresh data
 * folder, from the binary scripts/provision.sh builds. Resolves once it answers `ping`.
 *
 * FerretDB v1 has no transactions, change streams, TTL indexes or $lookup.
 */
export async function startLocalFerretDb(options: LocalFerretDbOptions = {}): Promise<LocalFerretDb> {
  const cacheDir = options.cacheDir ?? defaultCacheDir();
  const home = join(cacheDir, `ferretdb-${FERRETDB_VERSION}`);
  await ensureProvisioned(cacheDir, join(home, '.complete'));
  const workDir = await makeWorkDir('pdx-ferretdb-');
  const logFile = join(workDir, 'ferretdb.log');
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  let server: ManagedProcess | undefined;
  try {
    server = spawnManaged({
      command: join(home, 'ferretdb'),
      args: [
        '-listen',
        `127.0.0.1:${options.port ?? 0}`,
        '-dir',
        join(workDir, 'data'),
        // Its stdin is a pipe only this process holds: closed on our death, it stops the server.
        '-exit-on-stdin-eof',
      ],
      cwd: workDir,
      logFile,
      stdin: 'pipe',
      stdout: 'pipe',
    });
    // The server binds before it prints its URI, so port 0 needs no free-port guess.
    const uri = await firstLine(server, timeoutMs);
    await waitUntilReady({
      what: `FerretDB ${FERRETDB_VERSION} on ${uri}`,
      process: server,
      timeoutMs,
      probe: () => pingMongo(uri, { timeoutMs: 2_000 }),
    });
    const running = server;
    let stopped: Promise<void> | undefined;
    const stop = () => {
      stopped ??= running
        .stop(options.stopGraceMs ?? 5_000)
        .then(() => rm(workDir, { recursive: true, force: true, maxRetries: 3 }));
      return stopped;
    };
    return { uri, logFile, stop };
  } catch (error) {
    await server?.stop(1_000);
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
}

/** The URI the server prints on stdout; the rest of stdout goes to the log file. */
async function firstLine(server: ManagedProcess, timeoutMs: number): Promise<string> {
  const stdout = server.child.stdout;
  if (stdout === null) throw new TypeError('spawnManaged must pipe stdout');
  const lines = createInterface({ input: stdout });
  let timer: NodeJS.Timeout | undefined;
  try {
    const line = await Promise.race([
      new Promise<string>((resolve) => lines.once('line', resolve)),
      server.exited.then(() => undefined),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      }),
    ]);
    if (line === undefined) {
      throw await withLogTail('FerretDB exited before printing its URI', server.logFile);
    }
    if (line === 'timeout') {
      throw await withLogTail(`FerretDB printed no URI within ${timeoutMs} ms`, server.logFile);
    }
    if (!line.startsWith('mongodb://')) {
      throw await withLogTail(`FerretDB printed ${JSON.stringify(line)}, not a URI`, server.logFile);
    }
    return line.trim();
  } finally {
    clearTimeout(timer);
    lines.close();
    // Best effort: the working folder, log included, may already be gone when it opens.
    stdout.pipe(createWriteStream(server.logFile, { flags: 'a' }).on('error', () => {}));
  }
}

/**
 * Resolves once a TCP connection opens and the server answers a `ping` command; rejects
 * after about `timeoutMs`. The TCP step fails fast while nothing listens yet.
 */
export async function pingMongo(uri: string, { timeoutMs }: { timeoutMs: number }): Promise<void> {
  const target = singleHost(uri);
  if (target !== undefined) {
    await new Promise<void>((resolve, reject) => {
      const socket = connect({ ...target, timeout: timeoutMs });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('timeout', () => {
        socket.destroy();
        reject(new Error(`no TCP connection to ${target.host}:${target.port} within ${timeoutMs} ms`));
      });
      socket.once('error', reject);
    });
  }
  const connection = mongoose.createConnection(uri, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
    // A probe must not hold the pool open or build indexes anywhere.
    maxPoolSize: 1,
    autoIndex: false,
    autoCreate: false,
  });
  try {
    await connection.asPromise();
    const db = connection.db;
    if (db === undefined) throw new Error('connected without a database handle');
    await db.admin().ping();
  } finally {
    await connection.close();
  }
}

/** host and port of a plain single-host mongodb:// URI; undefined for seed lists and SRV. */
function singleHost(uri: string): { host: string; port: number } | undefined {
  if (!uri.startsWith('mongodb://') || !URL.canParse(uri)) return undefined;
  const { hostname, port } = new URL(uri);
  return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 27017) };
}
