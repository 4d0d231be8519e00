import mongoose, { type Connection, type Model, Schema } from 'mongoose';
import type {
  Collection,
  CollectionSpec,
  Doc,
  DocumentStore,
  Filter,
  FindOptions,
  IndexSpec,
} from './document-store.js';
import { StoreError } from './errors.js';
import {
  assertDatabaseName,
  assertDoc,
  assertFindOptions,
  assertId,
  filterEntries,
  normalizeIndexes,
  specKey,
  toJsonDoc,
} from './validation.js';

/** The subset of a pino logger the adapter uses. */
export interface StoreLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface MongoStoreOptions {
  /** A MongoDB connection string (`MONGODB_URI`); any MongoDB-wire database (FerretDB) works. */
  uri: string;
  /** The database of this service (one database per service). */
  database: string;
  /**
   * Where the connection's lifecycle goes: connected and reconnected (info), disconnected and
   * driver warnings (warn), connection errors (error). Never the credentials of the URI.
   */
  logger?: StoreLogger;
}

type Stored = Record<string, unknown> & { _id: string };

const { MongoServerError } = mongoose.mongo;

// The server errors that mean "not now" rather than "never": failover, shutdown, lost primary.
const unavailableServerCodes = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const unavailableErrorNames = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
]);

/**
 * The production adapter on mongoose. It keeps its own `Connection` (never mongoose's global
 * default) and uses only what MongoDB and FerretDB v1 both implement: CRUD, countDocuments,
 * createIndexes / listIndexes / dropIndexes. No transactions, change streams, TTL or $lookup.
 *
 * Rejects with `PDX_STORE_UNAVAILABLE` when no server answers within 5 s.
 */
export async function openMongoStore(options: MongoStoreOptions): Promise<DocumentStore> {
  assertDatabaseName(options.database);
  const { logger } = options;
  const redact = credentialRedactor(options.uri);
  // Every line names the database and the servers, never the user, password or options.
  const where = { database: options.database, hosts: hostsOf(options.uri) };
  let closed = false;
  // Lifecycle lines describe an established connection; the first attempt reports itself.
  let established = false;
  const connection = mongoose.createConnection(options.uri, {
    dbName: options.database,
    serverSelectionTimeoutMS: 5000,
    // Fail fast instead of queueing operations while disconnected: callers retry coded errors.
    bufferCommands: false,
    // Collections and indexes are created explicitly in collection(), not in the background.
    autoCreate: false,
    autoIndex: false,
    // The driver's own log (MongoDB logging specification): only what it reports at info or
    // above, which is its warnings about the server (DocumentDB, CosmosDB compatibility).
    mongodbLogPath: {
      write: (log: { c?: unknown; message?: unknown }) =>
        logger?.warn(
          { ...where, component: log.c, driver: redact(String(log.message)) },
          'MongoDB driver warning',
        ),
    },
    mongodbLogComponentSeverities: {
      default: 'info',
      command: 'off',
      connection: 'off',
      serverSelection: 'off',
    },
  });
  // Without a listener mongoose drops errors of the established connection silently.
  connection.on('error', (error: unknown) => {
    if (established && !closed) {
      logger?.error({ ...where, err: redactedError(error, redact) }, 'MongoDB connection error');
    }
  });
  connection.on('disconnected', () => {
    if (established && !closed) logger?.warn(where, 'MongoDB disconnected');
  });
  connection.on('reconnected', () => logger?.info(where, 'MongoDB reconnected'));
  const stopWarnings = forwardDriverWarnings(logger, where, redact);
  try {
    await connection.asPromise();
  } catch (error) {
    closed = true;
    stopWarnings();
    await connection.close().catch(() => undefined);
    logger?.error({ ...where, err: redactedError(error, redact) }, 'MongoDB connection failed');
    throw new StoreError('PDX_STORE_UNAVAILABLE', `cannot connect to MongoDB database ${options.database}`, {
      cause: error,
    });
  }
  established = true;
  const buildInfo = await connection.db
    ?.admin()
    .command({ buildInfo: 1 })
    .catch(() => undefined);
  const ferretdb = buildInfo !== undefined && 'ferretdbVersion' in buildInfo;
  const server = ferretdb ? `FerretDB ${buildInfo.ferretdbVersion}` : `MongoDB ${buildInfo?.version ?? '?'}`;
  logger?.info({ ...where, server }, 'MongoDB connected');
  if (ferretdb) {
    logger?.warn(
      { database: options.database, ferretdbVersion: buildInfo.ferretdbVersion },
      'FerretDB: replaceIf is atomic only among writers in this process',
    );
  }

  const collections = new Map<string, { key: string; collection: Promise<Collection<Doc>> }>();

  function open(): Connection {
    if (closed) throw new StoreError('PDX_STORE_UNAVAILABLE', 'the MongoDB store is closed');
    return connection;
  }

  async function openCollection<T extends Doc>(name: string, indexes: IndexSpec[]): Promise<Collection<T>> {
    const schema = new Schema(
      { _id: String },
      // strict: false stores every field of the document; versionKey: false keeps __v out of it.
      { strict: false, strictQuery: false, versionKey: false, minimize: false, id: false },
    );
    for (const index of indexes) {
      const keys = Object.fromEntries(index.fields.map((field) => [field, 1 as const]));
      // `unique: false` is left out: the server does not list it, and syncIndexes would see a
      // difference and rebuild the index on every open.
      schema.index(keys, index.unique ? { unique: true } : {});
    }
    const db = open();
    // A second declaration of the same collection (a changed spec) replaces the model.
    if (db.models[name] !== undefined) db.deleteModel(name);
    const model = db.model<Stored>(name, schema, name);
    await guard(async () => {
      try {
        await model.createCollection();
      } catch (error) {
        // NamespaceExists: another process (or an earlier open) created it.
        if (!(error instanceof MongoServerError && error.code === 48)) throw error;
      }
    });
    const dropped = await guard(() => model.syncIndexes(), name, indexes);
    if (dropped.length > 0) {
      logger?.info({ collection: name, dropped }, 'dropped indexes no longer declared');
    }
    return mongoCollection<T>(model, name, indexes, open);
  }

  return {
    async collection<T extends Doc>(spec: CollectionSpec): Promise<Collection<T>> {
      const indexes = normalizeIndexes(spec);
      open();
      const key = specKey(spec.name, indexes);
      // Only a repeat of the declaration that was synced last may skip the sync.
      const last = collections.get(spec.name);
      if (last?.key === key) return (await last.collection) as unknown as Collection<T>;
      const pending = openCollection<Doc>(spec.name, indexes);
      const entry = { key, collection: pending };
      collections.set(spec.name, entry);
      // A failed open is not remembered, so the next call tries again.
      pending.catch(() => {
        if (collections.get(spec.name) === entry) collections.delete(spec.name);
      });
      return (await pending) as unknown as Collection<T>;
    },

    async ping(): Promise<void> {
      const db = open().db;
      if (db === undefined) throw new StoreError('PDX_STORE_UNAVAILABLE', 'MongoDB is not connected');
      await guard(() => db.command({ ping: 1 }));
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      stopWarnings();
      collections.clear();
      await connection.close();
      logger?.info(where, 'MongoDB store closed');
    },
  };
}

/**
 * The user information and the servers of a connection string (`host:port,…`, or the SRV
 * name). Neither includes the options, which may hold secrets such as AWS session tokens.
 */
function authorityOf(uri: string): { userinfo: string | undefined; hosts: string } {
  const scheme = uri.indexOf('://');
  const rest = scheme === -1 ? uri : uri.slice(scheme + 3);
  let end = rest.length;
  for (const stop of ['/', '?']) {
    const at = rest.indexOf(stop);
    if (at !== -1 && at < end) end = at;
  }
  const authority = rest.slice(0, end);
  const at = authority.lastIndexOf('@');
  return { userinfo: at === -1 ? undefined : authority.slice(0, at), hosts: authority.slice(at + 1) };
}

const hostsOf = (uri: string) => authorityOf(uri).hosts;

/**
 * Replaces the user name and password of the URI, raw and percent-decoded, wherever they
 * occur in a message: a driver message quoting the connection string must not log them.
 */
function credentialRedactor(uri: string): (text: string) => string {
  const { userinfo } = authorityOf(uri);
  if (userinfo === undefined) return (text) => text;
  const secrets = new Set([userinfo, ...userinfo.split(':')]);
  for (const part of [...secrets]) {
    try {
      secrets.add(decodeURIComponent(part));
    } catch {
      // Not valid percent-encoding: the raw form is redacted.
    }
  }
  const ordered = [...secrets].filter((part) => part.length > 0).sort((a, b) => b.length - a.length);
  return (text) => ordered.reduce((out, secret) => out.replaceAll(secret, '***'), text);
}

/** The loggable part of a driver error, with credentials redacted from its message. */
function redactedError(error: unknown, redact: (text: string) => string): object {
  if (!(error instanceof Error)) return { message: redact(String(error)) };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message: redact(error.message), ...(code === undefined ? {} : { code }) };
}

/** What the driver reports through process warnings (deprecated options…), while the store is open. */
function forwardDriverWarnings(
  logger: StoreLogger | undefined,
  where: object,
  redact: (text: string) => string,
): () => void {
  if (logger === undefined) return () => undefined;
  const listener = (warning: Error & { code?: unknown }) => {
    if (warning.code === 'MONGODB DRIVER') {
      logger.warn({ ...where, driver: redact(warning.message) }, 'MongoDB driver warning');
    }
  };
  process.on('warning', listener);
  return () => process.off('warning', listener);
}

function toMongoFilter(filter: Filter): Record<string, unknown> {
  // Keys and values are validated (dotted identifiers, scalars), so no `$` operator can get in.
  return Object.fromEntries(
    filterEntries(filter).map(([field, value]) => [field === 'id' ? '_id' : field, value]),
  );
}

/** Keyset paging (FindOptions.after): past the value in the sort order, or at it with a later id. */
function keysetAfter(
  sort: NonNullable<FindOptions['sort']>,
  after: NonNullable<FindOptions['after']>,
): Record<string, unknown> {
  const past = sort.order === 1 ? '$gt' : '$lt';
  if (sort.field === 'id') return { _id: { [past]: after.id } };
  return {
    $or: [{ [sort.field]: { [past]: after.value } }, { [sort.field]: after.value, _id: { $gt: after.id } }],
  };
}

function toStored<T extends Doc>(doc: T): Stored {
  const { id, ...rest } = toJsonDoc(doc);
  return { _id: id, ...rest };
}

function fromStored<T extends Doc>(stored: Stored): T {
  const { _id, ...rest } = stored;
  return { id: _id, ...rest } as unknown as T;
}

function valueAt(doc: unknown, path: string): unknown {
  let value = doc;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return null;
    value = (value as Record<string, unknown>)[key];
  }
  return value ?? null;
}

/**
 * MongoDB reports a unique-index violation as code 11000. FerretDB v1 does so for inserts, but an
 * update that collides surfaces as code 1 (InternalError) carrying SQLite's own message.
 */
function isDuplicateKey(error: unknown): error is InstanceType<typeof MongoServerError> {
  return (
    error instanceof MongoServerError &&
    (error.code === 11000 || (error.code === 1 && error.message.includes('UNIQUE constraint failed')))
  );
}

/**
 * Runs actions with the same key one after another (and actions with different keys freely).
 *
 * FerretDB v1 executes an update as a query followed by a write by `_id` (no transaction spans
 * the two), so two `replaceOne({_id, version: 1})` racing can both match and both write. Queueing
 * writes of one id within the process restores compare-and-set for a single writer process; on
 * MongoDB the server is atomic anyway and the queue only orders what it would order.
 */
function keyedQueue(): <R>(key: string, action: () => Promise<R>) => Promise<R> {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, action) => {
    const result = (tails.get(key) ?? Promise.resolve()).then(action);
    const tail = result.catch(() => undefined);
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

function mongoCollection<T extends Doc>(
  model: Model<Stored>,
  name: string,
  indexes: readonly IndexSpec[],
  open: () => Connection,
): Collection<T> {
  const uniqueIndexes = indexes.filter((index) => index.unique);
  const serially = keyedQueue();

  /**
   * The index a duplicate-key error names: `'_id'`, a declared unique index, `undefined` for an
   * index not declared here, or `null` when the error does not say. MongoDB reports `keyPattern`;
   * FerretDB v1 sends a bare "E11000 duplicate key error" without it.
   */
  function reportedIndex(error: unknown): '_id' | IndexSpec | undefined | null {
    const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
    if (keyPattern === undefined) return null;
    const fields = Object.keys(keyPattern);
    if (fields.length === 1 && fields[0] === '_id') return '_id';
    return uniqueIndexes.find(
      (index) =>
        index.fields.length === fields.length && index.fields.every((field, i) => field === fields[i]),
    );
  }

  /** The unique index on which another document holds this document's values, if any. */
  async function occupiedIndex(doc: Stored): Promise<IndexSpec | undefined> {
    for (const index of uniqueIndexes) {
      const values = Object.fromEntries(index.fields.map((field) => [field, valueAt(doc, field)]));
      if ((await model.exists({ ...values, _id: { $ne: doc._id } })) !== null) return index;
    }
    return undefined;
  }

  /** For a write that may replace its own id: which unique index another document occupies. */
  async function conflict(error: unknown, doc: Stored): Promise<'_id' | IndexSpec | undefined> {
    const reported = reportedIndex(error);
    return reported !== null ? reported : occupiedIndex(doc);
  }

  /** For insert: the same id wins over any other index ('exists' whatever else collides). */
  async function insertConflict(error: unknown, doc: Stored): Promise<'_id' | IndexSpec | undefined> {
    const reported = reportedIndex(error);
    if (reported !== null) return reported;
    if ((await model.exists({ _id: doc._id })) !== null) return '_id';
    return occupiedIndex(doc);
  }

  function duplicate(index: IndexSpec | undefined, cause: unknown): StoreError {
    const fields = (index === undefined ? uniqueIndexes : [index]).map((u) => `(${u.fields.join(', ')})`);
    return new StoreError(
      'PDX_STORE_DUPLICATE',
      `duplicate key in ${name} on unique index ${fields.join(' or ') || '(id)'}`,
      { cause },
    );
  }

  // Writes go to the driver's collection so the stored body is exactly the JSON form of the
  // document, without mongoose casting or minimising it; reads go through the model, lean.
  const collection = () => {
    open();
    return model.collection as unknown as mongoose.mongo.Collection<Stored>;
  };

  return {
    async get(id) {
      assertId(id);
      open();
      const stored = await guard(() => model.findById(id).lean<Stored>().exec());
      return stored === null ? undefined : fromStored<T>(stored);
    },

    async insert(doc) {
      assertDoc(doc);
      const stored = toStored(doc);
      // Retries only cover a duplicate reported on a document that is gone by the time we look.
      for (let attempt = 1; ; attempt++) {
        try {
          await guard(() => collection().insertOne(stored));
          return 'inserted';
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const index = await guard(() => insertConflict(error, stored));
          if (index === '_id') return 'exists';
          if (index !== undefined || attempt === 3) throw duplicate(index, error);
        }
      }
    },

    async put(doc) {
      assertDoc(doc);
      const stored = toStored(doc);
      return serially(stored._id, async () => {
        // Two upserts of a new id from two processes can race on _id; the loser tries again.
        for (let attempt = 1; ; attempt++) {
          try {
            await guard(() => collection().replaceOne({ _id: stored._id }, stored, { upsert: true }));
            return;
          } catch (error) {
            if (!isDuplicateKey(error)) throw error;
            // Without a named index, nobody else holds our values: it was the race on _id.
            const index = await guard(() => conflict(error, stored));
            if ((index !== '_id' && index !== undefined) || attempt === 3) {
              throw duplicate(index === '_id' ? undefined : index, error);
            }
          }
        }
      });
    },

    async replaceIf(doc, expected) {
      assertDoc(doc);
      const stored = toStored(doc);
      const filter = { ...toMongoFilter(expected), _id: stored._id };
      return serially(stored._id, async () => {
        try {
          const result = await guard(() => collection().replaceOne(filter, stored));
          return result.matchedCount === 1;
        } catch (error) {
          if (!isDuplicateKey(error)) throw error;
          const index = await guard(() => conflict(error, stored));
          throw duplicate(index === '_id' ? undefined : index, error);
        }
      });
    },

    async find(filter, options?: FindOptions) {
      const mongoFilter = toMongoFilter(filter);
      assertFindOptions(options);
      open();
      if (options?.limit === 0) return [];
      let query = model.find(
        options?.after !== undefined && options.sort !== undefined
          ? { $and: [mongoFilter, keysetAfter(options.sort, options.after)] }
          : mongoFilter,
      );
      if (options?.sort !== undefined) {
        const field = options.sort.field === 'id' ? '_id' : options.sort.field;
        query = query.sort(
          field === '_id' ? { _id: options.sort.order } : { [field]: options.sort.order, _id: 1 },
        );
      }
      if (options?.limit !== undefined) query = query.limit(options.limit);
      const found = await guard(() => query.lean<Stored[]>().exec());
      return found.map((stored) => fromStored<T>(stored));
    },

    async count(filter) {
      const mongoFilter = toMongoFilter(filter);
      open();
      return guard(() => model.countDocuments(mongoFilter).exec());
    },

    async delete(id) {
      assertId(id);
      open();
      const result = await serially(id, () => guard(() => model.deleteOne({ _id: id }).exec()));
      return result.deletedCount === 1;
    },
  };
}

/** Runs a database call, turning connection failures (and index build conflicts) into coded errors. */
async function guard<R>(
  action: () => Promise<R>,
  collection?: string,
  indexes?: readonly IndexSpec[],
): Promise<R> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    if (
      error instanceof Error &&
      (unavailableErrorNames.has(error.name) ||
        (error instanceof MongoServerError && unavailableServerCodes.has(Number(error.code))))
    ) {
      throw new StoreError('PDX_STORE_UNAVAILABLE', `MongoDB does not answer: ${error.message}`, {
        cause: error,
      });
    }
    if (collection !== undefined && isDuplicateKey(error)) {
      // Building a unique index over documents that already break it.
      const fields = (indexes ?? [])
        .filter((index) => index.unique)
        .map((index) => `(${index.fields.join(', ')})`);
      throw new StoreError(
        'PDX_STORE_DUPLICATE',
        `cannot build unique index ${fields.join(' or ')} on ${collection}: documents hold duplicate values`,
        { cause: error },
      );
    }
    throw error;
  }
}
