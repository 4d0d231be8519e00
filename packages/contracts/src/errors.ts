import type { ErrorCode } from './error-catalog.js';

export interface Violation {
  /** RFC 6901 JSON pointer of the offending value. */
  pointer: string;
  detail: string;
}

/**
 * Bad input from outside the process, with a catalogued code and, where it concerns one
 * field, the JSON pointer of that field. Bugs (caller misuse) throw TypeError instead.
 */
export class PdxError extends Error {
  readonly code: ErrorCode;
  readonly pointer: string | undefined;
  readonly violations: readonly Violation[];
  /** Extra RFC 9457 members for the problem body (e.g. a verification report). */
  readonly extensions: Readonly<Record<string, unknown>>;
  constructor(
    code: ErrorCode,
    message: string,
    options: {
      pointer?: string;
      violations?: readonly Violation[];
      cause?: unknown;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.code = code;
    this.pointer = options.pointer ?? options.violations?.[0]?.pointer;
    this.violations =
      options.violations ?? (options.pointer ? [{ pointer: options.pointer, detail: message }] : []);
    this.extensions = options.extensions ?? {};
    this.name = new.target.name;
  }
}
