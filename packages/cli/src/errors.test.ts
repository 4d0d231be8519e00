import { errorCatalog, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { CliError, exchangeFailed, inputInvalid, verificationFailed } from './errors.js';

describe('CliError', () => {
  it.each([
    {
      given: 'a usage error',
      error: new CliError('--out <file> is required', 2),
      code: 'PDX_CLI_USAGE',
      exit: 2,
    },
    {
      given: 'a plain failure',
      error: new CliError('x exists; pass --force'),
      code: 'PDX_CLI_FAILED',
      exit: 1,
    },
    {
      given: 'a bad input file',
      error: inputInvalid('no file at x'),
      code: 'PDX_CLI_INPUT_INVALID',
      exit: 1,
    },
    {
      given: 'an exchange refusal',
      error: exchangeFailed('404 PDX_PARTY_NOT_FOUND'),
      code: 'PDX_CLI_EXCHANGE_FAILED',
      exit: 1,
    },
    {
      given: 'a failed check',
      error: verificationFailed('INVALID: digest'),
      code: 'PDX_CLI_VERIFICATION_FAILED',
      exit: 1,
    },
  ])('$given: $code, exit code $exit, a catalogued PdxError', ({ error, code, exit }) => {
    expect(error).toBeInstanceOf(PdxError);
    expect(error.code).toBe(code);
    expect(error.exitCode).toBe(exit);
    expect(errorCatalog[error.code].status).toBeNull();
    expect(error.name).toBe('CliError');
  });

  it('keeps exit code 2 for usage errors only (a caller bug otherwise)', () => {
    expect(() => new CliError('m', 2, { code: 'PDX_CLI_FAILED' })).toThrow(TypeError);
    expect(() => new CliError('m', 1, { code: 'PDX_CLI_USAGE' })).toThrow(TypeError);
  });
});
