import { PdxError } from '@pdx/contracts';

export type RuntimeErrorCode = 'PDX_CONFIG_INVALID' | 'PDX_RETRIES_EXHAUSTED';

/**
 * Errors raised by the runtime helpers: bad configuration (PDX_CONFIG_INVALID, naming the
 * setting), exhausted retries. Their message is for operators: over HTTP (where they never
 * belong) they are answered as an unexpected error.
 */
export class RuntimeError extends PdxError {
  declare readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause });
  }
}
