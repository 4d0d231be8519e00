import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkCloudEvent, checkCloudEventBatch, parseCloudEvent } from './cloudevent.js';
import { PdxError } from './errors.js';

interface Case {
  id: string;
  event?: unknown;
  batch?: unknown;
}
const fixture = (path: string) => new URL(`../test-fixtures/${path}`, import.meta.url);
const load = (name: string): Case[] =>
  JSON.parse(readFileSync(fixture(`cloudevents-conformance/${name}.json`), 'utf8')).tests;

const validEvents = load('valid-events');
const invalidEvents = load('invalid-events');

describe('CloudEvents JSON format conformance vectors', () => {
  it.each(validEvents.map((c) => [c.id, c.event]))('accepts %s', (_id, event) => {
    expect(checkCloudEvent(event)).toEqual([]);
  });

  it.each(invalidEvents.map((c) => [c.id, c.event]))('rejects %s', (_id, event) => {
    expect(checkCloudEvent(event).length).toBeGreaterThan(0);
    expect(() => parseCloudEvent(event)).toThrow(PdxError);
  });

  it.each(load('valid-batches').map((c) => [c.id, c.batch]))('accepts the batch %s', (_id, batch) => {
    expect(checkCloudEventBatch(batch)).toEqual([]);
  });

  it.each(load('invalid-batches').map((c) => [c.id, c.batch]))('rejects the batch %s', (_id, batch) => {
    expect(checkCloudEventBatch(batch).length).toBeGreaterThan(0);
  });
});

const base = { specversion: '1.0', id: '1', type: 't', source: '/s' };
const pointers = (event: unknown) => checkCloudEvent(event).map((v) => v.pointer);

describe('CloudEvents String (control characters, noncharacters, surrogates)', () => {
  const refused = [
    ['U+0000', '\u0000'],
    ['U+000A newline', 'a\nb'],
    ['U+001F', '\u001f'],
    ['U+007F', '\u007f'],
    ['U+0085', '\u0085'],
    ['U+009F', '\u009f'],
    ['U+FDD0', '\ufdd0'],
    ['U+FDEF', '\ufdef'],
    ['U+FFFE', '\ufffe'],
    ['U+FFFF', '\uffff'],
    ['U+1FFFE', '\ud83f\udffe'],
    ['U+10FFFF', '\udbff\udfff'],
    ['a lone high surrogate', 'a\ud800b'],
    ['a lone high surrogate at the end', 'a\ud800'],
    ['a lone low surrogate', '\udead'],
  ];
  const allowed = [
    ['U+00A0', '\u00a0'],
    ['U+FDCF', '\ufdcf'],
    ['U+FDF0', '\ufdf0'],
    ['U+FFFD', '\ufffd'],
    ['a surrogate pair (spec example)', '\ud800\udead'],
    ['an emoji', '\u{1f69a}'],
    ['letters', 'Zollamt Möckernbrücke'],
  ];

  it.each(refused)('refuses %s in id, type, subject and a string extension', (_name, value) => {
    for (const name of ['id', 'type', 'subject', 'ext']) {
      expect(pointers({ ...base, [name]: value })).toEqual([`/${name}`]);
    }
  });

  it.each(allowed)('accepts %s', (_name, value) => {
    for (const name of ['id', 'type', 'subject', 'ext']) {
      expect(checkCloudEvent({ ...base, [name]: value })).toEqual([]);
    }
  });
});

describe('source: a non-empty URI-reference (RFC 3986 §4.1)', () => {
  it.each([
    'https://cloudevents.io',
    '#fragment',
    '/pdx/intake',
    'urn:pdx:pdx:intake',
    'mailto:cncf-wg-serverless@lists.cncf.io',
    'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    'cloudevents/spec/pull/123',
    '/sensors/tn-1234567/alerts',
    '1-555-123-4567',
    '//authority/path',
    'a/b:c',
    '?query',
    '%41%7e',
    'http://user:pw@host:8080/p/a;t,h?q=1&r=/?#frag/?',
    'http://1.2.3.4/',
    'http://999.1.1.1/',
    'http://[::1]:8080/x',
    'http://[::]/',
    'http://[2001:db8::1]/',
    'http://[1:2:3:4:5:6:7:8]/',
    'http://[::ffff:192.0.2.1]/',
    'http://[v1.fe:80]/',
    'http://host:/',
    'file:///etc/hosts',
    "x:!$&'()*+,;=",
  ])('accepts %s', (source) => {
    expect(checkCloudEvent({ ...base, source })).toEqual([]);
  });

  it.each([
    '',
    'https://exa mple.com',
    'https://example.com/ä',
    'http://[::1',
    'http://[1:2]/',
    'http://[1:2:3:4:5:6:7:8:9]/',
    'http://[1::2::3]/',
    'http://[::ffff:192.0.2.01]/',
    'http://[::ffff:192.0.2.256]/',
    'http://[::1]x/',
    'http://[vz.1]/',
    'http://host:port/',
    'http://a@b@c/',
    '%zz',
    'a%4',
    '1-555:123',
    ':x',
    '3com:x',
    'a#b#c',
    'a\\b',
    'a<b>',
    'x\ny',
    '{curly}',
  ])('rejects %j', (source) => {
    expect(pointers({ ...base, source })).toEqual(['/source']);
  });
});

describe('dataschema: a non-empty absolute URI (RFC 3986 §4.3)', () => {
  it.each(['urn:pdx:schema:event:party.registered.v1', 'https://cloudevents.io/dataschema', 'x:y?z'])(
    'accepts %s',
    (dataschema) => {
      expect(checkCloudEvent({ ...base, dataschema })).toEqual([]);
    },
  );
  it.each(['', '/relative', 'https://x/y#fragment', 'urn:x y', 'no-scheme'])('rejects %j', (dataschema) => {
    expect(pointers({ ...base, dataschema })).toEqual(['/dataschema']);
  });
});

describe('datacontenttype: an RFC 2046 media type', () => {
  it.each([
    'application/json',
    'text/plain',
    'application/cloudevents+json',
    'application/vnd.apache.thrift.binary',
    'application/json; charset=utf-8',
    'application/json;charset="utf-8"',
    'multipart/form-data; boundary=----x; a="q\\"uoted"',
    'TEXT/Plain',
  ])('accepts %s', (datacontenttype) => {
    expect(checkCloudEvent({ ...base, datacontenttype })).toEqual([]);
  });
  it.each([
    'xyz',
    '',
    'application/',
    '/json',
    'text/pl ain',
    'text/plain ',
    'application/json;',
    'application/json; charset',
    'application/json; charset=',
    'text/plain; a=b c',
    'text/plain; a="unterminated',
    'text/plain; a=b\n',
    'text/plain; (comment)=x',
    'téxt/plain',
  ])('rejects %j', (datacontenttype) => {
    expect(pointers({ ...base, datacontenttype })).toEqual(['/datacontenttype']);
  });
});

describe('checkCloudEvent', () => {
  it('names the offending attribute by JSON pointer', () => {
    expect(checkCloudEvent({ ...base, time: 'lunchtime' })).toEqual([
      { pointer: '/time', detail: 'must be an RFC 3339 timestamp' },
    ]);
    expect(checkCloudEvent({ ...base, Bad: 1 })[0]?.pointer).toBe('/Bad');
  });

  it('accepts 32-bit integers, booleans and null as extension values', () => {
    expect(checkCloudEvent({ ...base, a: -(2 ** 31), b: 2 ** 31 - 1, c: true, d: null, e: -0 })).toEqual([]);
  });

  it('rejects non-objects, object-valued extensions, fractions and out-of-range integers', () => {
    expect(checkCloudEvent([])).toHaveLength(1);
    expect(pointers({ ...base, ext: { a: 1 } })).toEqual(['/ext']);
    expect(pointers({ ...base, ext: 2 ** 31 })).toEqual(['/ext']);
    expect(pointers({ ...base, ext: -(2 ** 31) - 1 })).toEqual(['/ext']);
    expect(pointers({ ...base, ext: 1.5 })).toEqual(['/ext']);
  });

  it('checks data_base64 as RFC 4648 base64 with padding', () => {
    expect(checkCloudEvent({ ...base, data_base64: 'TWE=' })).toEqual([]);
    expect(checkCloudEvent({ ...base, data_base64: '' })).toEqual([]);
    for (const data_base64 of ['TWE', 'T===', 'TW E', 'TWE=TWE=', 'TQ-_']) {
      expect(pointers({ ...base, data_base64 })).toEqual(['/data_base64']);
    }
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

  it('drops optional attributes given as null, but keeps a null data (an explicit null payload)', () => {
    expect(parseCloudEvent({ ...base, subject: null })).toEqual(base);
    expect(parseCloudEvent({ ...base, data: null })).toEqual({ ...base, data: null });
  });
});

describe('the CloudEvents 1.0.2 JSON Schema', () => {
  // The schema published with the specification is weaker than its text (no String rule, no
  // RFC 2046 check, no Integer range): pdx must refuse at least whatever the schema refuses.
  const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
  const validate = addFormats(new Ajv({ strict: false })).compile(
    JSON.parse(readFileSync(fixture('cloudevents-spec/cloudevents.schema.v1.0.2.json'), 'utf8')),
  );
  const attributes = [
    'specversion',
    'id',
    'source',
    'type',
    'datacontenttype',
    'dataschema',
    'subject',
    'time',
  ];
  const values = [undefined, null, '', 'lunchtime', 'a b', '/relative', 'urn:x', 25, true, { a: 1 }, ['x']];
  const mutants = validEvents.flatMap((c) =>
    attributes.flatMap((name) =>
      values.map((value) => {
        const event = { ...(c.event as Record<string, unknown>) };
        if (value === undefined) delete event[name];
        else event[name] = value;
        return event;
      }),
    ),
  );

  it('accepts every valid vector', () => {
    for (const c of validEvents) expect(validate(c.event), c.id).toBe(true);
  });

  it(`refuses each of ${mutants.length} altered valid events that the schema refuses`, () => {
    const refusedBySchema = mutants.filter((event) => !validate(event));
    expect(refusedBySchema.length).toBeGreaterThan(100);
    for (const event of refusedBySchema)
      expect(checkCloudEvent(event), JSON.stringify(event)).not.toEqual([]);
  });
});
