import { catalogEntry, type ErrorCode } from './error-catalog.js';

export interface Violation {
  /** RFC 6901 JSON pointer of the offending value. */
  pointer: string;
  detail: string;
}

export interface PdxErrorOptions {
  /** The JSON pointer of the one field at fault (defaults to the first violation's). */
  pointer?: string;
  violations?: readonly Violation[];
  cause?: unknown;
  /** Extra RFC 9457 members for the problem body (e.g. a verification report). */
  extensions?: Record<string, unknown>;
  /**
   * What a client is told, when the message is written for operators (a collection, an
   * index, a server address). Defaults to the message.
   */
  publicDetail?: string;
  /** Overrides the catalog's retriable for this one error (see ErrorCatalogEntry.retriable). */
  retriable?: boolean;
}

/**
 * The one base class of pdx's errors: a condition with a code from the one catalog, so that
 * it answers the catalog's HTTP status wherever it surfaces, and says by `retriable` whether
 * trying again may help. Thrown as is for bad input from outside the process, with the JSON
 * pointer of the field at fault; each package's own failures (StoreError, BusError,
 * RuntimeError…) are subclasses. Bugs (caller misuse) throw TypeError instead.
 */
export class PdxError extends Error {
  readonly code: ErrorCode;
  /** True when the same call may succeed later (conventions: retry only errors marked retriable). */
  readonly retriable: boolean;
  readonly pointer: string | undefined;
  readonly violations: readonly Violation[];
  /** Extra RFC 9457 members for the problem body (e.g. a verification report). */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** The problem's `detail`: the message, unless it is written for operators only. */
  readonly publicDetail: string;
  constructor(code: ErrorCode, message: string, options: PdxErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.retriable = options.retriable ?? catalogEntry(code).retriable ?? false;
    this.pointer = options.pointer ?? options.violations?.[0]?.pointer;
    this.violations =
      options.violations ?? (options.pointer ? [{ pointer: options.pointer, detail: message }] : []);
    this.extensions = options.extensions ?? {};
    this.publicDetail = options.publicDetail ?? message;
    this.name = new.target.name;
  }
}

/**
 * Whether trying the same call again may succeed: a PdxError marked retriable (the database
 * or the event log is unavailable). Anything else — a refusal, a bug, an error of unknown
 * kind — is not known to be.
 */
export function isRetriable(error: unknown): boolean {
  return error instanceof PdxError && error.retriable;
}
