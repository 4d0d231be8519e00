import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCloudEventText, readJsonText, scanJsonText } from './cloudevent-text.js';
import { PdxError } from './errors.js';

const load = (name: string): { id: string; event: unknown }[] =>
  JSON.parse(
    readFileSync(new URL(`../test-fixtures/cloudevents-conformance/${name}.json`, import.meta.url), 'utf8'),
  ).tests;

function violationsOf(text: string): { code: string; pointers: string[] } | undefined {
  try {
    parseCloudEventText(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof PdxError)) throw error;
    return { code: error.code, pointers: error.violations.map((v) => v.pointer) };
  }
}

const head = '"specversion":"1.0","type":"t","source":"/s"';

describe('parseCloudEventText on the conformance vectors', () => {
  it.each(load('valid-events').map((c) => [c.id, c.event]))('accepts %s', (_id, event) => {
    expect(violationsOf(JSON.stringify(event))).toBeUndefined();
    expect(violationsOf(JSON.stringify(event, null, 2))).toBeUndefined();
  });

  it.each(load('invalid-events').map((c) => [c.id, c.event]))('rejects %s', (_id, event) => {
    expect(violationsOf(JSON.stringify(event))?.code).toBe('PDX_EVENT_ENVELOPE_INVALID');
  });
});

describe('parseCloudEventText: what JSON.parse hides', () => {
  it.each([
    ['the id', `{${head},"id":"a","id":"b"}`, ['/id']],
    ['the id, spelt with an escape', `{${head},"id":"a","\\u0069d":"b"}`, ['/id']],
    ['the source', `{${head},"id":"a","source":"/other"}`, ['/source']],
    ['an extension', `{${head},"id":"a","ext":1,"ext":2}`, ['/ext']],
    ['null then a value', `{${head},"id":"a","subject":null,"subject":"x"}`, ['/subject']],
  ])('refuses %s given twice (PDX_EVENT_ENVELOPE_INVALID)', (_name, text, pointers) => {
    expect(violationsOf(text)).toEqual({ code: 'PDX_EVENT_ENVELOPE_INVALID', pointers });
  });

  it.each(['10.0', '1e3', '1E3', '1e+3', '-1.0e0', '0.0', '2.5'])(
    'refuses the Integer extension written %s (PDX_EVENT_ENVELOPE_INVALID)',
    (number) => {
      expect(violationsOf(`{${head},"id":"a","ext":${number}}`)).toEqual({
        code: 'PDX_EVENT_ENVELOPE_INVALID',
        pointers: ['/ext'],
      });
    },
  );

  it('accepts integers written with only the integer component, optionally signed', () => {
    for (const number of ['0', '-0', '10', '-2147483648', '2147483647']) {
      expect(violationsOf(`{${head},"id":"a","ext":${number}}`), number).toBeUndefined();
    }
  });

  it('is not fooled by quotes, backslashes and numbers inside strings', () => {
    expect(violationsOf(`{${head},"id":"a","ext":"\\"id\\":\\"b\\"","data":"1.5"}`)).toBeUndefined();
    expect(violationsOf(`{${head},"ext":"a\\\\","id":"a","note":"\\\\\\"","id":"b"}`)?.pointers).toEqual([
      '/id',
    ]);
    // Fractions inside data are data, not attributes.
    expect(violationsOf(`{${head},"id":"a","data":{"ext":1.5,"n":[1e3,{"x":2.0}]}}`)).toBeUndefined();
  });

  it('refuses text that is not JSON, with an empty pointer', () => {
    expect(violationsOf('{not json')).toEqual({ code: 'PDX_EVENT_ENVELOPE_INVALID', pointers: [''] });
    expect(violationsOf('\ufeff{}')?.code).toBe('PDX_EVENT_ENVELOPE_INVALID');
  });
});

describe('scanJsonText', () => {
  it('points at repeated members at every depth, through arrays, with escaped tokens', () => {
    const text = JSON.stringify({ a: { 'b/c': { '~d': 1 } }, list: [0, { x: 1 }, { y: [{ z: 1 }] }] })
      .replace('{"~d":1}', '{"~d":1,"~d":2}')
      .replace('{"x":1}', '{"x":1,"x":1}')
      .replace('{"z":1}', '{"z":1,"\\u007a":3}');
    expect(scanJsonText(text).duplicates).toEqual(['/a/b~1c/~0d', '/list/1/x', '/list/2/y/0/z']);
  });

  it('keeps names apart across sibling objects and levels', () => {
    const text = '{"a":{"a":1},"b":{"a":2},"c":[{"a":1},{"a":2}]}';
    expect(scanJsonText(text)).toEqual({ duplicates: [], nonIntegerNumbers: new Set() });
  });

  it('names the top-level members whose number has a fraction or an exponent, and only those', () => {
    const text = '{"a":1,"b":1.0,"c":-2e5,"d":{"e":1.5},"f":[2.5],"g":"3.5","h":true,"i":null}';
    expect([...scanJsonText(text).nonIntegerNumbers]).toEqual(['b', 'c']);
  });

  it('reports at most 16 repeats, in one linear pass', () => {
    const members = Array.from({ length: 200_000 }, (_, i) => `"k${i % 1000}":${i}`).join(',');
    const { duplicates } = scanJsonText(`{${members}}`);
    expect(duplicates).toHaveLength(16);
    expect(duplicates[0]).toBe('/k0');
  });
});

describe('readJsonText', () => {
  // A small deterministic generator (xorshift) of nested JSON texts, some with a name repeated.
  let seed = 0x2545f491;
  const random = (n: number) => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const names = ['a', 'b', 'id', '\\u0061', 'x"y', '~/', '__proto__', 'é'];
  const numbers = ['0', '-1', '10.0', '1e3', '2147483647', '-0.5E-2'];
  function text(depth: number): string {
    const kind = depth > 3 ? random(3) : random(5);
    if (kind === 0) return numbers[random(numbers.length)]!;
    if (kind === 1) return JSON.stringify(['s', '"{}[],:', '\\', 'ü'][random(4)]);
    if (kind === 2) return ['true', 'false', 'null'][random(3)]!;
    if (kind === 3) return `[${Array.from({ length: random(4) }, () => text(depth + 1)).join(', ')}]`;
    const members = Array.from(
      { length: random(5) },
      () => `"${names[random(names.length)]!.replace('"', '\\"')}" : ${text(depth + 1)}`,
    );
    return `{ ${members.join(',')} }`;
  }

  it('finds what the name-by-name scan finds, on 2,000 generated texts', () => {
    let withRepeats = 0;
    for (let k = 0; k < 2_000; k++) {
      const t = text(0);
      const precise = scanJsonText(t);
      const { value, facts } = readJsonText(t);
      expect(value).toEqual(JSON.parse(t));
      expect(facts.duplicates, t).toEqual(precise.duplicates);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        expect([...facts.nonIntegerNumbers].sort(), t).toEqual([...precise.nonIntegerNumbers].sort());
      }
      if (precise.duplicates.length > 0) withRepeats++;
    }
    expect(withRepeats).toBeGreaterThan(100);
  });

  it('counts members of deeply nested values without recursion', () => {
    const deep = `${'{"a":['.repeat(20_000)}1${']}'.repeat(20_000)}`;
    expect(readJsonText(deep).facts.duplicates).toEqual([]);
    const repeated = `${'{"a":['.repeat(20_000)}{"b":1,"b":2}${']}'.repeat(20_000)}`;
    expect(readJsonText(repeated).facts.duplicates).toHaveLength(1);
  });
});
