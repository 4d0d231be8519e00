import type { CollectionSpec, Doc, Filter, FindOptions, IndexSpec } from './document-store.js';

// Names and paths end up inside SQL text (table names, json_extract paths) and MongoDB query keys;
// these patterns are the whole defence against SQL injection and `$`-operator injection, so both
// adapters check every name and path against them before use.
const collectionNamePattern = /^[a-z][a-z0-9_]{0,62}$/;
const databaseNamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;
const fieldPathPattern = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export type Scalar = string | number | boolean | null;

export function assertCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !collectionNamePattern.test(name)) {
    throw new TypeError(
      `invalid collection name ${JSON.stringify(name)}: must match ${collectionNamePattern}`,
    );
  }
  // SQLite reserves these table names for itself; reject them for every adapter alike.
  if (name.startsWith('sqlite_')) {
    throw new TypeError(`invalid collection name ${JSON.stringify(name)}: the prefix sqlite_ is reserved`);
  }
}

/** Database names become file names (embedded) and MongoDB database names: no path separators, no dots. */
export function assertDatabaseName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !databaseNamePattern.test(name)) {
    throw new TypeError(`invalid database name ${JSON.stringify(name)}: must match ${databaseNamePattern}`);
  }
}

/**
 * A dotted path into a document, or `'id'`. `_id` is reserved (MongoDB's key) and `id` has no
 * inner fields, so paths starting with either are rejected rather than silently never matching.
 */
export function assertFieldPath(path: unknown, what: string): asserts path is string {
  if (typeof path !== 'string' || !fieldPathPattern.test(path)) {
    throw new TypeError(`invalid ${what} ${JSON.stringify(path)}: must match ${fieldPathPattern}`);
  }
  if (path === '_id' || path.startsWith('_id.') || path.startsWith('id.')) {
    throw new TypeError(`invalid ${what} ${JSON.stringify(path)}: '_id' is reserved and 'id' has no fields`);
  }
}

export function assertId(id: unknown): asserts id is string {
  if (typeof id !== 'string' || id.length === 0) {
    throw new TypeError(`a document id must be a non-empty string, got ${typeof id}`);
  }
}

export function assertDoc(doc: unknown): asserts doc is Doc {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new TypeError('a document must be a plain object');
  }
  assertId((doc as { id?: unknown }).id);
  if (Object.hasOwn(doc, '_id')) {
    throw new TypeError("a document must not carry '_id': the store keys documents by 'id'");
  }
}

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/** The filter's entries, checked: valid paths and finite scalar values only. */
export function filterEntries(filter: unknown): [string, Scalar][] {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
    throw new TypeError('a filter must be a plain object');
  }
  const entries = Object.entries(filter as Filter);
  for (const [path, value] of entries) {
    assertFieldPath(path, 'filter field');
    if (!isScalar(value)) {
      throw new TypeError(
        `filter field ${path}: only strings, finite numbers, booleans and null are supported, got ${
          Array.isArray(value) ? 'array' : typeof value
        }`,
      );
    }
  }
  return entries;
}

export function assertFindOptions(options: FindOptions | undefined): void {
  if (options === undefined) return;
  const { limit, sort, after } = options;
  if (limit !== undefined && !(Number.isSafeInteger(limit) && limit >= 0)) {
    throw new TypeError(`limit must be a non-negative integer, got ${limit}`);
  }
  if (sort !== undefined) {
    assertFieldPath(sort.field, 'sort field');
    if (sort.order !== 1 && sort.order !== -1) {
      throw new TypeError(`sort order must be 1 or -1, got ${String(sort.order)}`);
    }
  }
  if (after !== undefined) {
    if (sort === undefined) throw new TypeError('after needs sort: it is a position in the sort order');
    const { value, id } = after;
    if (!(typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)))) {
      throw new TypeError(`after.value must be a string or a finite number, got ${typeof value}`);
    }
    if (typeof id !== 'string') throw new TypeError(`after.id must be a string, got ${typeof id}`);
    if (sort.field === 'id' && value !== id) throw new TypeError('with sort on id, after.value is the id');
  }
}

/** The declared indexes, checked, with their fields copied (the spec may be mutated later). */
export function normalizeIndexes(spec: CollectionSpec): IndexSpec[] {
  assertCollectionName(spec.name);
  return (spec.indexes ?? []).map((index) => {
    if (!Array.isArray(index.fields) || index.fields.length === 0) {
      throw new TypeError(`collection ${spec.name}: an index needs at least one field`);
    }
    for (const field of index.fields) {
      assertFieldPath(field, 'index field');
      if (field === 'id') {
        throw new TypeError(`collection ${spec.name}: 'id' is always indexed and unique, do not declare it`);
      }
    }
    if (new Set(index.fields).size !== index.fields.length) {
      throw new TypeError(`collection ${spec.name}: index fields repeat: ${index.fields.join(', ')}`);
    }
    return { fields: [...index.fields], unique: index.unique === true };
  });
}

/** A stable key of a collection's declaration, to tell whether a second `collection()` call matches. */
export function specKey(name: string, indexes: readonly IndexSpec[]): string {
  return JSON.stringify([name, indexes.map((index) => [index.fields, index.unique === true])]);
}

/**
 * The document as JSON would carry it, `id` first. Both adapters store this form, so what one
 * adapter keeps (or drops: `undefined`, functions) the other keeps too.
 */
export function toJsonDoc<T extends Doc>(doc: T): T {
  const { id, ...rest } = JSON.parse(JSON.stringify(doc)) as T;
  return { id, ...rest } as T;
}
