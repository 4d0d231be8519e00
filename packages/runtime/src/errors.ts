export type RuntimeErrorCode = 'PDX_CONFIG_INVALID' | 'PDX_RETRIES_EXHAUSTED' | 'PDX_SHUTTING_DOWN';

/** Errors raised by the runtime helpers: bad configuration, exhausted retries. */
export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}
