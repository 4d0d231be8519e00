import { describe, expect, it } from 'vitest';
import { catalogEntry, type ErrorCode, errorCatalog, problemType } from './error-catalog.js';
import { isRetriable, PdxError } from './errors.js';

/** A subclass as the other packages write theirs (StoreError, BusError…). */
class ExampleStoreError extends PdxError {
  declare readonly code: 'PDX_STORE_UNAVAILABLE' | 'PDX_STORE_DUPLICATE';
  constructor(code: ExampleStoreError['code'], message: string, options?: { cause?: unknown }) {
    super(code, message, { cause: options?.cause, publicDetail: catalogEntry(code).title });
  }
}

describe('PdxError', () => {
  it('carries its code, message, cause, pointer and the class name of whoever threw it', () => {
    const cause = new Error('underneath');
    const error = new PdxError('PDX_PARTY_NOT_FOUND', 'no party acme', { pointer: '/partyId', cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      name: 'PdxError',
      code: 'PDX_PARTY_NOT_FOUND',
      message: 'no party acme',
      pointer: '/partyId',
      violations: [{ pointer: '/partyId', detail: 'no party acme' }],
      publicDetail: 'no party acme',
      retriable: false,
      cause,
    });
    const sub = new ExampleStoreError('PDX_STORE_UNAVAILABLE', 'mongo at 10.0.0.7 is down');
    expect(sub).toBeInstanceOf(PdxError);
    expect(sub.name).toBe('ExampleStoreError');
  });

  it.each([
    ['PDX_STORE_UNAVAILABLE', true],
    ['PDX_EVENT_LOG_UNAVAILABLE', true],
    ['PDX_CHANGE_CONTENDED', true],
    ['PDX_AUTH_KEYS_UNAVAILABLE', true],
    ['PDX_STORE_DUPLICATE', false],
    ['PDX_PARTY_NOT_FOUND', false],
    ['PDX_CONFIG_INVALID', false],
    ['PDX_RETRIES_EXHAUSTED', false],
    ['PDX_INTERNAL', false],
  ] as const)('takes retriable from the catalog: %s → %s', (code, retriable) => {
    expect(new PdxError(code, 'x').retriable).toBe(retriable);
    expect(catalogEntry(code).retriable ?? false).toBe(retriable);
  });

  it('lets one error override the catalog (a message the log refuses for its size)', () => {
    expect(new PdxError('PDX_EVENT_LOG_UNAVAILABLE', 'too large', { retriable: false }).retriable).toBe(
      false,
    );
  });

  it('keeps an operator message apart from what the client is told', () => {
    const error = new ExampleStoreError('PDX_STORE_DUPLICATE', 'E11000 on things.number_1 at 10.0.0.7');
    expect(error.message).toContain('10.0.0.7');
    expect(error.publicDetail).toBe(errorCatalog.PDX_STORE_DUPLICATE.title);
  });
});

describe('isRetriable tells by type, not by the shape of the error', () => {
  it.each([
    ['a retriable PdxError', new PdxError('PDX_STORE_UNAVAILABLE', 'down'), true],
    ['a retriable subclass', new ExampleStoreError('PDX_STORE_UNAVAILABLE', 'down'), true],
    ['a refusal', new PdxError('PDX_PARTY_NOT_FOUND', 'no'), false],
    ['a retriable code overridden', new PdxError('PDX_STORE_UNAVAILABLE', 'x', { retriable: false }), false],
    ['a plain error that says it is retriable', Object.assign(new Error('down'), { retriable: true }), false],
    ['an object that looks like one', { code: 'PDX_STORE_UNAVAILABLE', retriable: true }, false],
    ['a bug', new TypeError('undefined is not a function'), false],
    ['nothing', undefined, false],
  ])('%s → %s', (_name, error, expected) => {
    expect(isRetriable(error)).toBe(expected);
  });
});

describe('the one error catalog', () => {
  const codes = Object.keys(errorCatalog) as ErrorCode[];

  it('holds the codes of every package: store, event log, runtime, ledger', () => {
    for (const code of [
      'PDX_STORE_DUPLICATE',
      'PDX_STORE_UNAVAILABLE',
      'PDX_CHANGE_CONTENDED',
      'PDX_EVENT_LOG_UNAVAILABLE',
      'PDX_CONFIG_INVALID',
      'PDX_RETRIES_EXHAUSTED',
      'PDX_LEDGER_INTEGRITY',
      'PDX_ROLE_REQUIRED',
    ]) {
      expect(codes, code).toContain(code);
    }
  });

  it('gives every code a status that is an HTTP error status or null, and a one-line title', () => {
    for (const code of codes) {
      const { status, title } = catalogEntry(code);
      expect(code).toMatch(/^PDX_[A-Z0-9_]+$/);
      if (status !== null) expect(status, code).toSatisfy((s: number) => s >= 400 && s <= 599);
      expect(title, code).toMatch(/^\S.*[.)]$/);
      expect(title, code).not.toContain('\n');
    }
  });

  it('marks retriable only codes a client may retry as they are (a 5xx)', () => {
    for (const code of codes.filter((c) => catalogEntry(c).retriable)) {
      expect(catalogEntry(code).status, code).toSatisfy((s: number | null) => s !== null && s >= 500);
    }
  });

  it('derives a stable problem type from each code', () => {
    expect(problemType('PDX_STORE_DUPLICATE')).toBe('urn:pdx:problem:store-duplicate');
    expect(new Set(codes.map(problemType)).size).toBe(codes.length);
  });
});
