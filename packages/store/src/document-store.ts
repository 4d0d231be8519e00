/**
 * The persistence port of pdx: a small document store that the embedded adapter (SQLite) and the
 * production adapter (MongoDB, or any MongoDB-wire database such as FerretDB) implement with the
 * same observable behaviour, checked by the shared contract suite in `./testing`.
 *
 * Documents are plain JSON values: what `JSON.stringify` would drop or change (`undefined`,
 * functions, `Date`, `NaN`) is stored the way `JSON.stringify` writes it, by both adapters.
 */

/** Every stored document has a caller-chosen string id, unique within its collection. */
export interface Doc {
  id: string;
}

/**
 * An index over one or more dotted paths into the document (`'party.id'`), ascending.
 * A unique index rejects a second document with the same values; do not rely on how documents
 * that lack an indexed field are treated (MongoDB counts a missing field as `null` and lets only
 * one such document in, SQLite lets any number in): give unique-indexed fields a value.
 */
export interface IndexSpec {
  fields: readonly string[];
  unique?: boolean;
}

/** A collection name (`^[a-z][a-z0-9_]{0,62}$`) and the complete set of its secondary indexes. */
export interface CollectionSpec {
  name: string;
  indexes?: readonly IndexSpec[];
}

/**
 * Equality on scalar fields, joined with AND; keys are dotted paths (`'party.id'`) or `'id'`;
 * `{}` matches every document. `null` matches a field that is `null` or missing. A boolean matches
 * only a boolean, a number only a number, a string only a string. Filtering on a field that holds
 * an array or an object is not supported (the adapters would disagree).
 */
export type Filter = Readonly<Record<string, string | number | boolean | null>>;

export interface FindOptions {
  /** At most this many documents (a non-negative integer; `0` gives none). */
  limit?: number;
  /**
   * Order by one field (a dotted path or `'id'`), ties broken by `id` ascending. Only defined for
   * fields that hold one scalar type across the matched documents; missing fields sort first.
   * Without `sort` the order is unspecified.
   */
  sort?: { field: string; order: 1 | -1 };
  /**
   * Keyset paging: only the documents that come after this position in the `sort` order (which
   * it requires) — the sort field's `value` and the `id` of the last document of the previous
   * page (with `sort` on `'id'`, `value` is that id). Reading page after page this way sees every
   * matching document once, in order, without skipping over the ones already read. Only defined
   * when every matched document holds the sort field, with one scalar type.
   */
  after?: { value: string | number; id: string };
}

export interface DocumentStore {
  /**
   * Opens the collection, creating it if missing, and makes its indexes exactly `spec.indexes`:
   * missing ones are created and indexes no longer declared are dropped. Resolves once the indexes
   * exist. Idempotent: calling it again with the same spec (from this or another process) changes
   * nothing and the handles are interchangeable. Throws `TypeError` for an invalid name or field.
   */
  collection<T extends Doc>(spec: CollectionSpec): Promise<Collection<T>>;

  /**
   * One cheap round trip to the database, for readiness probes. Resolves when it answers;
   * rejects with `StoreError` `PDX_STORE_UNAVAILABLE` when it does not (within a few seconds)
   * or when the store is closed.
   */
  ping(): Promise<void>;

  /**
   * Releases the database. Every write acknowledged before is durable. Idempotent; afterwards every
   * call rejects with `PDX_STORE_UNAVAILABLE`.
   */
  close(): Promise<void>;
}

/**
 * One collection of documents of type `T`. Every method that resolves has made its effect durable
 * (it survives a crash of the process). Any method may reject with `PDX_STORE_UNAVAILABLE`.
 * Documents returned are fresh copies carrying only the caller's fields (never `_id` or `__v`).
 */
export interface Collection<T extends Doc> {
  /** The document with this id, or `undefined`. */
  get(id: string): Promise<T | undefined>;

  /**
   * Atomic insert-if-absent by id: 'inserted' when the document was stored, 'exists' when a
   * document with the same id was already there (it is left untouched, whatever its content).
   * Of concurrent inserts of one id, exactly one answers 'inserted'.
   * Rejects with `PDX_STORE_DUPLICATE` when another document holds the same unique-index values.
   */
  insert(doc: T): Promise<'inserted' | 'exists'>;

  /**
   * Stores the document, inserting it or replacing the whole stored document with the same id
   * (fields absent from `doc` are gone afterwards).
   * Rejects with `PDX_STORE_DUPLICATE` when another document holds the same unique-index values.
   */
  put(doc: T): Promise<void>;

  /**
   * Atomic compare-and-set: replaces the stored document with id `doc.id` by `doc` only if the
   * stored one matches `expected` (a {@link Filter}; `{}` means "exists"). Resolves `true` when it
   * replaced, `false` when the document is missing or does not match (nothing is written). Of
   * concurrent calls with the same `expected`, at most one answers `true` if each changes the
   * matched fields. Rejects with `PDX_STORE_DUPLICATE` like `put`.
   */
  replaceIf(doc: T, expected: Filter): Promise<boolean>;

  /** The documents matching `filter`, ordered and limited by `options`. */
  find(filter: Filter, options?: FindOptions): Promise<T[]>;

  /** How many documents match `filter`. */
  count(filter: Filter): Promise<number>;

  /** Removes the document with this id; `true` if there was one. */
  delete(id: string): Promise<boolean>;
}
