import { type ErrorCode, PdxError } from '@pdx/contracts';

/** The CLI's codes, catalogued with every other (`PDX_CLI_…`). */
export type CliErrorCode = Extract<ErrorCode, `PDX_CLI_${string}`>;

/**
 * A failure the user can fix or must act on: `pdx` prints its message without a stack trace
 * and exits with its exit code, 2 for a usage error (PDX_CLI_USAGE) and 1 for anything else.
 * The one error class of the CLI; its code says which kind of failure it is.
 */
export class CliError extends PdxError {
  readonly exitCode: 1 | 2;
  override readonly code: CliErrorCode;
  constructor(message: string, exitCode: 1 | 2 = 1, options: { code?: CliErrorCode; cause?: unknown } = {}) {
    const code = options.code ?? (exitCode === 2 ? 'PDX_CLI_USAGE' : 'PDX_CLI_FAILED');
    if ((code === 'PDX_CLI_USAGE') !== (exitCode === 2)) {
      throw new TypeError('exit code 2 is the usage error PDX_CLI_USAGE, and only it');
    }
    super(code, message, options.cause === undefined ? {} : { cause: options.cause });
    this.code = code;
    this.exitCode = exitCode;
  }
}

/** A file given to the CLI is missing, unreadable, or not what the command needs. */
export const inputInvalid = (message: string) => new CliError(message, 1, { code: 'PDX_CLI_INPUT_INVALID' });

/** The exchange could not be reached, or answered with a problem. */
export const exchangeFailed = (message: string) =>
  new CliError(message, 1, { code: 'PDX_CLI_EXCHANGE_FAILED' });

/** An offline check failed: a signature, a digest, a proof. */
export const verificationFailed = (message: string) =>
  new CliError(message, 1, { code: 'PDX_CLI_VERIFICATION_FAILED' });
