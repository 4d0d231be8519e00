import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { isRfc3339 } from './cloudevent-types.js';
import type { Violation } from './errors.js';
import { allSchemas } from './generated/schemas.js';
import { escapeToken } from './json-pointer.js';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export type SchemaId = (typeof allSchemas)[number]['$id'];

/**
 * All pdx JSON Schemas compiled once by one strict ajv (draft 2020-12). Strict mode makes a
 * typo in a schema keyword an error at start-up instead of a silently ignored constraint.
 */
export class SchemaRegistry {
  readonly #ajv: Ajv2020;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor() {
    this.#ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: false });
    addFormats(this.#ajv, ['date', 'uri', 'uri-reference', 'email', 'uuid', 'regex']);
    this.#ajv.addFormat('date-time', isInstant);
    for (const schema of allSchemas) this.#ajv.addSchema(schema as object);
  }

  /** Every registered schema, for HTTP route registration (`addSchema`). */
  schemas(): readonly object[] {
    return allSchemas;
  }

  validator(id: SchemaId | string): ValidateFunction {
    let fn = this.#compiled.get(id);
    if (!fn) {
      fn = this.#ajv.getSchema(id);
      if (!fn) throw new TypeError(`unknown schema ${id}`);
      this.#compiled.set(id, fn);
    }
    return fn;
  }

  /** Compiles an inline schema (one that may $ref the registered ones). */
  compile(schema: object): ValidateFunction {
    return this.#ajv.compile(schema);
  }

  /** Validates; returns the violations (empty when valid), each with a JSON pointer. */
  check(id: SchemaId | string, value: unknown): Violation[] {
    const fn = this.validator(id);
    return fn(value) ? [] : violationsOf(fn.errors ?? []);
  }
}

/**
 * An RFC 3339 instant that every consumer reads the same way: a zone (`Z` or an offset) is
 * required, and a leap second (`:60`), which JavaScript dates cannot represent, is refused.
 * Without this a time could pass the schema and then compare as NaN, skipping a check.
 */
export function isInstant(value: string): boolean {
  return isRfc3339(value) && !/T\d{2}:\d{2}:60/i.test(value) && !Number.isNaN(Date.parse(value));
}

/**
 * Turns ajv errors into pointer + detail. A missing or unexpected property is reported at
 * the property's own pointer, which is where a user has to look. Errors from conditional
 * branches (`if`) only repeat the branch's real error, so they are dropped.
 */
export function violationsOf(errors: readonly ErrorObject[]): Violation[] {
  const out: Violation[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (e.keyword === 'if') continue;
    let at = e.instancePath;
    let detail = e.message ?? e.keyword;
    if (e.keyword === 'required') {
      at += `/${escapeToken(String(e.params.missingProperty))}`;
      detail = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      at += `/${escapeToken(String(e.params.additionalProperty))}`;
      detail = 'is not an allowed property';
    } else if (e.keyword === 'unevaluatedProperties') {
      at += `/${escapeToken(String(e.params.unevaluatedProperty))}`;
      detail = 'is not an allowed property';
    } else if (e.keyword === 'false schema') {
      detail = 'is not allowed here';
    } else if (e.keyword === 'enum') {
      detail = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    } else if (e.keyword === 'const') {
      detail = `must be ${JSON.stringify(e.params.allowedValue)}`;
    }
    const key = `${at}\u0000${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer: at, detail, rank: RANK[e.keyword] ?? 0 } as Violation & { rank: number });
  }
  // The one to fix first: a wrong value before a missing or an extra member (a wrong `kty`
  // explains the missing `crv`), then the deepest pointer.
  return (out as (Violation & { rank: number })[])
    .sort((a, b) => a.rank - b.rank || b.pointer.split('/').length - a.pointer.split('/').length)
    .map(({ pointer, detail }) => ({ pointer, detail }));
}

const RANK: Record<string, number> = {
  required: 1,
  'false schema': 1,
  additionalProperties: 2,
  unevaluatedProperties: 2,
};
