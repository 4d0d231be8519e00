import { errorCatalog } from '@pdx/contracts';
import { storeErrorCatalog } from '@pdx/store';
import { describe, expect, it } from 'vitest';

describe('the one error catalog', () => {
  it('holds every store error code with the HTTP status the store documents', () => {
    const catalog: Readonly<Record<string, { status: number | null }>> = errorCatalog;
    for (const [code, info] of Object.entries(storeErrorCatalog)) {
      expect(catalog[code]?.status, code).toBe(info.httpStatus);
    }
  });
});
