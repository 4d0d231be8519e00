import { PdxError, type Violation } from './errors.js';
import { escapeToken } from './json-pointer.js';

/** A CloudEvents 1.0 event in the JSON format (structured mode). */
export interface CloudEvent<T = unknown> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  datacontenttype?: string;
  dataschema?: string;
  data?: T;
  data_base64?: string;
  [extension: string]: unknown;
}

const CONTEXT_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'data',
  'data_base64',
]);

// CloudEvents 1.0 §3.1.1: attribute names are lower-case ASCII letters and digits only.
const EXTENSION_NAME = /^[a-z0-9]+$/;
// RFC 2046 type/subtype with optional parameters.
const MEDIA_TYPE =
  /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}(\s*;.*)?$/;
// RFC 3986 URI-reference, approximately: no spaces or control characters, and if there is a
// scheme it is well-formed. (A full RFC 3986 grammar adds nothing a consumer relies on.)
const URI_REFERENCE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:)?\S*$/;
const ABSOLUTE_URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;

function hasNoControlCharacters(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

const isUriReference = (v: string) => URI_REFERENCE.test(v) && hasNoControlCharacters(v);
const isAbsoluteUri = (v: string) => ABSOLUTE_URI.test(v) && hasNoControlCharacters(v);
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** RFC 3339 date-time with seconds and a zone, every field in range (a leap second allowed). */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , , oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  return true;
}

function isNonEmptyString(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

/**
 * Checks a decoded JSON value against the CloudEvents 1.0 JSON format, attribute by
 * attribute, and returns every violation (empty when valid). Optional attributes set to
 * null count as absent (JSON format §2.4). This does not rely on the `cloudevents` SDK,
 * which accepts envelopes the specification forbids.
 */
export function checkCloudEvent(value: unknown): Violation[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ pointer: '', detail: 'a CloudEvent is a JSON object' }];
  }
  const e = value as Record<string, unknown>;
  const out: Violation[] = [];
  const bad = (name: string, detail: string) => out.push({ pointer: `/${escapeToken(name)}`, detail });

  if (e.specversion === undefined) bad('specversion', 'is required');
  else if (e.specversion !== '1.0') bad('specversion', 'must be "1.0"');
  if (e.id === undefined) bad('id', 'is required');
  else if (!isNonEmptyString(e.id)) bad('id', 'must be a non-empty string');
  if (e.type === undefined) bad('type', 'is required');
  else if (!isNonEmptyString(e.type)) bad('type', 'must be a non-empty string');
  if (e.source === undefined) bad('source', 'is required');
  else if (!isNonEmptyString(e.source) || !isUriReference(e.source))
    bad('source', 'must be a non-empty URI-reference');

  const optional = (name: string, check: (v: unknown) => boolean, detail: string) => {
    const v = e[name];
    if (v !== undefined && v !== null && !check(v)) bad(name, detail);
  };
  optional('subject', isNonEmptyString, 'must be a non-empty string');
  optional('time', (v) => typeof v === 'string' && isRfc3339(v), 'must be an RFC 3339 timestamp');
  optional(
    'datacontenttype',
    (v) => typeof v === 'string' && MEDIA_TYPE.test(v),
    'must be an RFC 2046 media type',
  );
  optional(
    'dataschema',
    (v) => typeof v === 'string' && isAbsoluteUri(v),
    'must be a non-empty absolute URI',
  );
  optional('data_base64', (v) => typeof v === 'string' && BASE64.test(v), 'must be base64');
  if (e.data !== undefined && e.data !== null && e.data_base64 !== undefined && e.data_base64 !== null) {
    bad('data_base64', 'data and data_base64 are mutually exclusive');
  }

  for (const [name, v] of Object.entries(e)) {
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    if (!EXTENSION_NAME.test(name)) {
      bad(name, 'extension attribute names are lower-case letters and digits only');
      continue;
    }
    const ok =
      v === null ||
      typeof v === 'string' ||
      typeof v === 'boolean' ||
      (typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX);
    if (!ok) bad(name, 'an extension value is a string, a boolean or a 32-bit integer');
  }
  return out;
}

/** Parses and checks a CloudEvent; throws PdxError PDX_EVENT_ENVELOPE_INVALID listing every violation. */
export function parseCloudEvent(value: unknown): CloudEvent {
  const violations = checkCloudEvent(value);
  if (violations.length > 0) {
    const first = violations[0]!;
    throw new PdxError(
      'PDX_EVENT_ENVELOPE_INVALID',
      `invalid CloudEvent: ${first.pointer || '/'} ${first.detail}`,
      {
        violations,
      },
    );
  }
  // Null optional attributes are absent (JSON format §2.4).
  const e = { ...(value as Record<string, unknown>) };
  for (const [k, v] of Object.entries(e)) if (v === null) delete e[k];
  return e as unknown as CloudEvent;
}
