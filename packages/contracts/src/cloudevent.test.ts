import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCloudEvent, isRfc3339, parseCloudEvent } from './cloudevent.js';
import { PdxError } from './errors.js';

interface Case {
  id: string;
  event: unknown;
}
const load = (name: string): Case[] =>
  JSON.parse(
    readFileSync(new URL(`../test-fixtures/cloudevents-conformance/${name}.json`, import.meta.url), 'utf8'),
  ).tests;

describe('CloudEvents JSON format conformance', () => {
  it.each(load('valid-events').map((c) => [c.id, c.event]))('accepts %s', (_id, event) => {
    expect(checkCloudEvent(event)).toEqual([]);
  });

  it.each(load('invalid-events').map((c) => [c.id, c.event]))('rejects %s', (_id, event) => {
    expect(checkCloudEvent(event).length).toBeGreaterThan(0);
    expect(() => parseCloudEvent(event)).toThrow(PdxError);
  });
});

describe('checkCloudEvent', () => {
  const base = { specversion: '1.0', id: '1', type: 't', source: '/s' };

  it('names the offending attribute by JSON pointer', () => {
    expect(checkCloudEvent({ ...base, time: 'lunchtime' })).toEqual([
      { pointer: '/time', detail: 'must be an RFC 3339 timestamp' },
    ]);
    expect(checkCloudEvent({ ...base, Bad: 1 })[0]?.pointer).toBe('/Bad');
  });

  it('rejects non-objects, object-valued extensions and out-of-range integers', () => {
    expect(checkCloudEvent([])).toHaveLength(1);
    expect(checkCloudEvent({ ...base, ext: { a: 1 } })[0]?.pointer).toBe('/ext');
    expect(checkCloudEvent({ ...base, ext: 2 ** 31 })[0]?.pointer).toBe('/ext');
  });

  it('reports PDX_EVENT_ENVELOPE_INVALID with every violation', () => {
    const error = (() => {
      try {
        parseCloudEvent({ specversion: '0.3' });
      } catch (e) {
        return e as PdxError;
      }
    })();
    expect(error?.code).toBe('PDX_EVENT_ENVELOPE_INVALID');
    expect(error?.violations.map((v) => v.pointer)).toEqual(['/specversion', '/id', '/type', '/source']);
  });

  it('drops optional attributes given as null', () => {
    expect(parseCloudEvent({ ...base, subject: null })).toEqual(base);
  });
});

describe('isRfc3339', () => {
  it.each([
    ['2024-02-29T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2024-01-01T24:00:00Z', false],
    ['2024-01-01T12:00:00.123456789+05:30', true],
    ['2024-01-01T12:00:00+05:60', false],
    ['2024-01-01 12:00:00Z', false],
  ])('%s → %s', (value, expected) => {
    expect(isRfc3339(value)).toBe(expected);
  });
});
