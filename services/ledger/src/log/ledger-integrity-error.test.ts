import { errorCatalog, isRetriable, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { LedgerIntegrityError } from './ledger-log.js';

describe('LedgerIntegrityError', () => {
  it('is a PdxError with the catalogued PDX_LEDGER_INTEGRITY, never answered over HTTP, not retriable', () => {
    const error = new LedgerIntegrityError('node 0:3 is missing');
    expect(error).toBeInstanceOf(PdxError);
    expect(error).toMatchObject({
      name: 'LedgerIntegrityError',
      code: 'PDX_LEDGER_INTEGRITY',
      message: 'node 0:3 is missing',
    });
    expect(errorCatalog.PDX_LEDGER_INTEGRITY.status).toBeNull();
    expect(isRetriable(error)).toBe(false);
  });
});
