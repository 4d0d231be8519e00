/**
 * Codes of the errors a {@link DocumentStore} raises for conditions the caller must handle.
 * Caller misuse (an invalid collection name, field path or filter value, a document without a
 * string `id`) is a bug and throws `TypeError` instead.
 */
export type StoreErrorCode =
  /** A write would break a unique index (other than `insert` on an existing id, which answers 'exists'). */
  | 'PDX_STORE_DUPLICATE'
  /** The database does not answer (down, unreachable, or the store was closed). Retriable. */
  | 'PDX_STORE_UNAVAILABLE'
  /** A change lost the compare-and-set race to concurrent writes every time it was tried. Retriable. */
  | 'PDX_CHANGE_CONTENDED';

export interface StoreErrorInfo {
  description: string;
  /** The status the root error handler answers with when such an error reaches HTTP. */
  httpStatus: number;
  retriable: boolean;
}

/** Every code with a one-line description: the catalog the README documents (a test keeps them equal). */
export const storeErrorCatalog: Readonly<Record<StoreErrorCode, StoreErrorInfo>> = {
  PDX_STORE_DUPLICATE: {
    description: 'A write would violate a unique index of the collection.',
    httpStatus: 409,
    retriable: false,
  },
  PDX_STORE_UNAVAILABLE: {
    description: 'The database does not answer, or the store is closed.',
    httpStatus: 503,
    retriable: true,
  },
  PDX_CHANGE_CONTENDED: {
    description: 'The record kept changing under concurrent writes; nothing was changed, try again.',
    httpStatus: 503,
    retriable: true,
  },
};

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  /** True when the same call may succeed later (conventions: retry only errors marked retriable). */
  readonly retriable: boolean;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.retriable = storeErrorCatalog[code].retriable;
  }
}
