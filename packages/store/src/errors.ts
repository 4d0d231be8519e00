import { catalogEntry, PdxError } from '@pdx/contracts';

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

function infoOf(code: StoreErrorCode): StoreErrorInfo {
  const entry = catalogEntry(code);
  return { description: entry.title, httpStatus: entry.status ?? 500, retriable: entry.retriable ?? false };
}

/**
 * The store's codes as the one error catalog (@pdx/contracts) describes them: the table the
 * README documents (a test keeps them equal).
 */
export const storeErrorCatalog: Readonly<Record<StoreErrorCode, StoreErrorInfo>> = {
  PDX_STORE_DUPLICATE: infoOf('PDX_STORE_DUPLICATE'),
  PDX_STORE_UNAVAILABLE: infoOf('PDX_STORE_UNAVAILABLE'),
  PDX_CHANGE_CONTENDED: infoOf('PDX_CHANGE_CONTENDED'),
};

/**
 * A store failure. Its message is for operators (collection, index, server address): over
 * HTTP the catalog's title answers instead.
 */
export class StoreError extends PdxError {
  declare readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause, publicDetail: catalogEntry(code).title });
  }
}
