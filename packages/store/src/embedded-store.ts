import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
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
  type Scalar,
  specKey,
} from './validation.js';

export interface EmbeddedStoreOptions {
  /** Directory of the database files; created if missing. */
  dir: string;
  /** The database is the file `<dir>/<database>.sqlite`. */
  database: string;
}

/**
 * The embedded adapter: one SQLite file per database, one table `(id, doc)` per collection with the
 * document as JSON, secondary indexes as expression indexes on `json_extract`.
 *
 * Durability: WAL with `synchronous=FULL` fsyncs the log on every commit, so a write is on disk
 * when its promise resolves (the design's "nothing is acknowledged before its effect is durable").
 * Writes are group-committed: those issued in the same turn of the event loop run in order in
 * one transaction, each in its own savepoint (so one failing write fails alone), and all
 * resolve after the one fsync'd commit. Under concurrent load that turns one fsync per write
 * into one per batch; a lone write waits one turn. Reads run at once and see only committed
 * writes. Other processes on the same file are serialised by SQLite's locks.
 */
export function openEmbeddedStore(options: EmbeddedStoreOptions): DocumentStore {
  assertDatabaseName(options.database);
  mkdirSync(options.dir, { recursive: true });
  const db = new Database(join(options.dir, `${options.database}.sqlite`), { timeout: 5000 });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  } catch (error) {
    db.close();
    throw error;
  }

  let closed = false;
  const statements = new Map<string, Database.Statement>();
  const enqueue = groupCommit(db);
  const collections = new Map<string, { key: string; collection: Collection<Doc> }>();

  function open(): Database.Database {
    if (closed) throw new StoreError('PDX_STORE_UNAVAILABLE', 'the embedded store is closed');
    return db;
  }

  /** Statements are prepared once per SQL text; the SQL text only ever varies with validated names. */
  function statement(sql: string): Database.Statement {
    let prepared = statements.get(sql);
    if (prepared === undefined) {
      prepared = open().prepare(sql);
      statements.set(sql, prepared);
    }
    return prepared;
  }

  return {
    async collection<T extends Doc>(spec: CollectionSpec): Promise<Collection<T>> {
      const indexes = normalizeIndexes(spec);
      const key = specKey(spec.name, indexes);
      open();
      // Only a repeat of the declaration that was synced last may skip the sync.
      const last = collections.get(spec.name);
      if (last?.key === key) return last.collection as unknown as Collection<T>;
      run(() => syncTable(db, spec.name, indexes), spec.name, indexes);
      const collection = embeddedCollection<T>(spec.name, indexes, statement, enqueue);
      collections.set(spec.name, { key, collection: collection as unknown as Collection<Doc> });
      return collection;
    },

    async ping(): Promise<void> {
      run(() => statement('SELECT 1').get());
    },

    async close(): Promise<void> {
      if (closed) return;
      // Writes already queued are committed, not dropped.
      enqueue.flush();
      closed = true;
      statements.clear();
      collections.clear();
      db.close();
    },
  };
}

function quote(identifier: string): string {
  // Identifiers are validated before they get here (no quotes possible); quoting keeps
  // keywords such as `order` usable as collection names.
  return `"${identifier}"`;
}

/** Index names encode their definition, so a changed declaration gets a new index. */
function indexName(table: string, index: IndexSpec): string {
  return `${table}(${index.fields.join(',')})${index.unique ? ' unique' : ',id'}`;
}

function jsonPath(field: string): string {
  return `'$.${field}'`;
}

function extract(field: string): string {
  return field === 'id' ? 'id' : `json_extract(doc, ${jsonPath(field)})`;
}

function syncTable(db: Database.Database, table: string, indexes: readonly IndexSpec[]): void {
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${quote(table)} (id TEXT PRIMARY KEY, doc TEXT NOT NULL)`);
    const declared = new Map(indexes.map((index) => [indexName(table, index), index]));
    // Automatic indexes (the primary key) have no SQL; every other index on the table is ours.
    const present = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
      .pluck()
      .all(table) as string[];
    for (const name of present) {
      if (!declared.has(name)) db.exec(`DROP INDEX ${quote(name)}`);
    }
    for (const [name, index] of declared) {
      db.exec(
        // A non-unique index ends with the id, so a sorted page (ORDER BY field, id) reads
        // the index in order and stops at its limit instead of sorting every match.
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX IF NOT EXISTS ${quote(name)} ON ${quote(table)} (${[
          ...index.fields.map(extract),
          ...(index.unique ? [] : ['id']),
        ].join(', ')})`,
      );
    }
  })();
}

/**
 * One condition per filter entry. json_extract alone would conflate types (it gives 1 for `true`,
 * JSON text for objects), so each equality is paired with a json_type check; the json_extract
 * half is what lets the planner use the expression index.
 */
function where(filter: Filter): { sql: string; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  for (const [field, value] of filterEntries(filter)) {
    conditions.push(condition(field, value, params));
  }
  return { sql: conditions.length === 0 ? '1' : conditions.join(' AND '), params };
}

function condition(field: string, value: Scalar, params: (string | number)[]): string {
  if (field === 'id') {
    // The id column has TEXT affinity: a bound number would be compared as text and match "1".
    if (typeof value !== 'string') return '0';
    params.push(value);
    return 'id = ?';
  }
  const path = jsonPath(field);
  const extracted = extract(field);
  if (value === null) return `${extracted} IS NULL`;
  if (typeof value === 'boolean') {
    return `${extracted} = ${value ? 1 : 0} AND json_type(doc, ${path}) = '${value}'`;
  }
  params.push(value);
  return typeof value === 'string'
    ? `${extracted} = ? AND json_type(doc, ${path}) = 'text'`
    : `${extracted} = ? AND json_type(doc, ${path}) IN ('integer', 'real')`;
}

type Enqueue = <R>(action: () => R) => Promise<R>;

/** Queues writes and commits each turn's writes together (see openEmbeddedStore). */
function groupCommit(db: Database.Database): Enqueue & { flush(): void } {
  let queue: {
    action: () => unknown;
    resolve: (value: unknown) => void;
    reject: (error: unknown) => void;
  }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      db.transaction(() => {
        for (const item of batch) {
          try {
            // A nested better-sqlite3 transaction is a savepoint: a failed write rolls back alone.
            outcomes.push({ ok: true, value: db.transaction(item.action)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      const failure = translate(error);
      for (const item of batch) item.reject(failure);
      return;
    }
    batch.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  };
  const enqueue = <R>(action: () => R) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ action, resolve: resolve as (value: unknown) => void, reject });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  return Object.assign(enqueue, { flush });
}

function embeddedCollection<T extends Doc>(
  table: string,
  indexes: readonly IndexSpec[],
  statement: (sql: string) => Database.Statement,
  enqueue: Enqueue,
): Collection<T> {
  const t = quote(table);
  const parse = (json: string): T => JSON.parse(json) as T;
  const serialize = ({ id, ...rest }: T): string => JSON.stringify({ id, ...rest });
  const write = <R>(action: () => R): Promise<R> => enqueue(() => run(action, table, indexes));

  return {
    async get(id) {
      assertId(id);
      const json = run(() => statement(`SELECT doc FROM ${t} WHERE id = ?`).pluck().get(id)) as
        | string
        | undefined;
      return json === undefined ? undefined : parse(json);
    },

    async insert(doc) {
      assertDoc(doc);
      // The conflict target makes a duplicate id a no-op while any other unique index still raises.
      const { changes } = await write(() =>
        statement(`INSERT INTO ${t} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`).run(
          doc.id,
          serialize(doc),
        ),
      );
      return changes === 1 ? 'inserted' : 'exists';
    },

    async put(doc) {
      assertDoc(doc);
      await write(() =>
        statement(
          `INSERT INTO ${t} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
        ).run(doc.id, serialize(doc)),
      );
    },

    async replaceIf(doc, expected) {
      assertDoc(doc);
      const { sql, params } = where(expected);
      const { changes } = await write(() =>
        statement(`UPDATE ${t} SET doc = ? WHERE id = ? AND ${sql}`).run(serialize(doc), doc.id, ...params),
      );
      return changes === 1;
    },

    async find(filter, options?: FindOptions) {
      const { sql, params } = where(filter);
      assertFindOptions(options);
      if (options?.limit === 0) return [];
      let query = `SELECT doc FROM ${t} WHERE ${sql}`;
      if (options?.after !== undefined && options.sort !== undefined) {
        // Keyset paging over the (field, id) index: past the value, or at it with a later id
        // (ties are ordered by id ascending in both directions).
        const { field, order } = options.sort;
        const past = order === 1 ? '>' : '<';
        if (field === 'id') {
          query += ` AND id ${past} ?`;
          params.push(options.after.id);
        } else {
          query += ` AND (${extract(field)} ${past} ? OR (${extract(field)} = ? AND id > ?))`;
          params.push(options.after.value, options.after.value, options.after.id);
        }
      }
      if (options?.sort !== undefined) {
        const direction = options.sort.order === 1 ? 'ASC' : 'DESC';
        query += ` ORDER BY ${extract(options.sort.field)} ${direction}`;
        if (options.sort.field !== 'id') query += ', id ASC';
      }
      if (options?.limit !== undefined) {
        query += ' LIMIT ?';
        params.push(options.limit);
      }
      const rows = run(() =>
        statement(query)
          .pluck()
          .all(...params),
      ) as string[];
      return rows.map(parse);
    },

    async count(filter) {
      const { sql, params } = where(filter);
      return run(() =>
        statement(`SELECT count(*) FROM ${t} WHERE ${sql}`)
          .pluck()
          .get(...params),
      ) as number;
    },

    async delete(id) {
      assertId(id);
      const { changes } = await write(() => statement(`DELETE FROM ${t} WHERE id = ?`).run(id));
      return changes === 1;
    },
  };
}

/** Runs a database call, turning SQLite's errors into the port's codes. */
function run<R>(action: () => R, table?: string, indexes?: readonly IndexSpec[]): R {
  try {
    return action();
  } catch (error) {
    throw translate(error, table, indexes);
  }
}

function translate(error: unknown, table?: string, indexes?: readonly IndexSpec[]): unknown {
  if (!(error instanceof Database.SqliteError)) return error;
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // SQLite names the violated index: "UNIQUE constraint failed: index '<table>(a.b,c) unique'".
    const name = /index '(.*)'/.exec(error.message)?.[1];
    const index = indexes?.find((candidate) => table !== undefined && indexName(table, candidate) === name);
    const fields = index?.fields.join(', ') ?? name ?? 'id';
    return new StoreError(
      'PDX_STORE_DUPLICATE',
      `duplicate key in ${table ?? 'collection'} on unique index (${fields})`,
      { cause: error },
    );
  }
  if (error.code.startsWith('SQLITE_BUSY') || error.code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('PDX_STORE_UNAVAILABLE', 'the embedded database is locked by another writer', {
      cause: error,
    });
  }
  return error;
}
