import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StoreError, type StoreErrorCode, storeErrorCatalog } from './errors.js';

describe('StoreError', () => {
  it('carries its code, the catalog retriable flag, its cause and its class name', () => {
    const cause = new Error('socket closed');
    const error = new StoreError('PDX_STORE_UNAVAILABLE', 'down', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'StoreError',
      code: 'PDX_STORE_UNAVAILABLE',
      retriable: true,
      cause,
    });
    expect(new StoreError('PDX_STORE_DUPLICATE', 'dup').retriable).toBe(false);
  });

  it('documents every code of the catalog in the README, and no other', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    // Rows of the error table: | `CODE` | status | yes/no | description |
    const documented = readme
      .split('\n')
      .filter((line) => line.startsWith('| `PDX_'))
      .map((line) => line.split('|').map((cell) => cell.trim()))
      .map(([, code, status, retriable, description]) => [
        code?.replaceAll('`', ''),
        { description, httpStatus: Number(status), retriable: retriable === 'yes' },
      ]);
    expect(Object.fromEntries(documented)).toEqual(storeErrorCatalog);
    for (const code of Object.keys(storeErrorCatalog) as StoreErrorCode[]) {
      expect(readme).toContain(code);
    }
  });
});
