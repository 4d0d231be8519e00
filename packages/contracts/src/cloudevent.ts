import type { JsonTextFacts } from './cloudevent-text.js';
import {
  isAbsoluteUri,
  isBase64,
  isCloudEventsString,
  isMediaType,
  isRfc3339,
  isUriReference,
} from './cloudevent-types.js';
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

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** §Naming Conventions: attribute names are lower-case ASCII letters and digits only. */
function isAttributeName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return false;
  }
  return true;
}

/** Whether a JSON pointer into the event lies inside its `data` (the application's payload). */
export const isInData = (pointer: string) => pointer.startsWith('/data/');

const STRING_RULE =
  'must be a CloudEvents String: no control characters (U+0000-U+001F, U+007F-U+009F), noncharacters or unpaired surrogates';

/**
 * Checks a decoded JSON value against the CloudEvents 1.0.2 JSON format, attribute by
 * attribute, and returns every violation (empty when valid). Optional attributes set to null
 * count as absent (JSON format §2.2). `text`, from {@link scanJsonText}, adds what only the
 * raw text shows: repeated members and Integers written with a fraction or an exponent. This
 * does not rely on the `cloudevents` SDK, which accepts envelopes the specification forbids.
 */
export function checkCloudEvent(value: unknown, text?: JsonTextFacts): Violation[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ pointer: '', detail: 'a CloudEvent is a JSON object' }];
  }
  const e = value as Record<string, unknown>;
  const out: Violation[] = [];
  const bad = (name: string, detail: string) => out.push({ pointer: `/${escapeToken(name)}`, detail });

  // Each context attribute appears at most once (spec §Context Attributes). JSON.parse keeps
  // the last of repeated members, another parser the first: the event would not be one event.
  for (const pointer of text?.duplicates ?? []) {
    if (!isInData(pointer)) {
      out.push({ pointer, detail: 'appears more than once: a member name must be unique in its object' });
    }
  }

  const string = (name: string, required: boolean) => {
    const v = e[name];
    if (v === undefined || (v === null && !required)) {
      if (required) bad(name, 'is required');
    } else if (typeof v !== 'string' || v.length === 0) bad(name, 'must be a non-empty string');
    else if (!isCloudEventsString(v)) bad(name, STRING_RULE);
    else return v;
    return undefined;
  };

  const specversion = string('specversion', true);
  if (specversion !== undefined && specversion !== '1.0') bad('specversion', 'must be "1.0"');
  string('id', true);
  string('type', true);
  if (e.source === undefined) bad('source', 'is required');
  else if (typeof e.source !== 'string' || e.source.length === 0 || !isUriReference(e.source))
    bad('source', 'must be a non-empty URI-reference (RFC 3986 §4.1)');
  string('subject', false);

  const optional = (name: string, check: (v: string) => boolean, detail: string) => {
    const v = e[name];
    if (v !== undefined && v !== null && (typeof v !== 'string' || !check(v))) bad(name, detail);
  };
  optional('time', isRfc3339, 'must be an RFC 3339 timestamp');
  optional('datacontenttype', isMediaType, 'must be an RFC 2046 media type (type/subtype; parameters)');
  optional('dataschema', isAbsoluteUri, 'must be a non-empty absolute URI (RFC 3986 §4.3)');
  optional('data_base64', isBase64, 'must be base64 (RFC 4648 §4)');
  if (e.data !== undefined && e.data !== null && e.data_base64 !== undefined && e.data_base64 !== null) {
    bad('data_base64', 'data and data_base64 are mutually exclusive');
  }

  for (const [name, v] of Object.entries(e)) {
    if (CONTEXT_ATTRIBUTES.has(name)) continue;
    if (!isAttributeName(name)) {
      bad(name, 'extension attribute names are lower-case letters and digits only');
    } else if (typeof v === 'string') {
      // A URI, URI-reference, Timestamp or Binary extension is a string too: each is a String.
      if (!isCloudEventsString(v)) bad(name, STRING_RULE);
    } else if (typeof v === 'number') {
      // JSON format §2.2: an Integer is a number with only the integer component, optionally
      // prefixed with a minus sign, in the 32-bit signed range.
      if (text?.nonIntegerNumbers.has(name)) {
        bad(name, 'an Integer is written without a fraction or an exponent');
      } else if (!Number.isInteger(v) || v < INT32_MIN || v > INT32_MAX) {
        bad(name, 'an Integer is a whole number from -2147483648 to 2147483647');
      }
    } else if (v !== null && typeof v !== 'boolean') {
      bad(name, 'an extension value is a string, a boolean or an integer');
    }
  }
  return out;
}

/** The checked event with null optional attributes dropped, or PDX_EVENT_ENVELOPE_INVALID. */
export function toCloudEvent(value: unknown, violations: readonly Violation[]): CloudEvent {
  if (violations.length > 0) {
    const first = violations[0]!;
    throw new PdxError(
      'PDX_EVENT_ENVELOPE_INVALID',
      `invalid CloudEvent: ${first.pointer || '/'} ${first.detail}`,
      { violations },
    );
  }
  // Null optional attributes are absent (JSON format §2.2).
  const e = { ...(value as Record<string, unknown>) };
  for (const [k, v] of Object.entries(e)) if (v === null && k !== 'data') delete e[k];
  return e as unknown as CloudEvent;
}

/**
 * Parses and checks a decoded CloudEvent; throws PdxError PDX_EVENT_ENVELOPE_INVALID listing
 * every violation. A message off the wire goes to {@link parseCloudEventText} instead, which
 * also sees what decoding hid.
 */
export function parseCloudEvent(value: unknown): CloudEvent {
  return toCloudEvent(value, checkCloudEvent(value));
}

/**
 * The JSON Batch Format (§4): a JSON array of CloudEvents, all with the same `specversion`
 * (spec §Message: batch mode). Pointers are prefixed with the event's index.
 */
export function checkCloudEventBatch(value: unknown): Violation[] {
  if (!Array.isArray(value)) return [{ pointer: '', detail: 'a batch is a JSON array' }];
  const out: Violation[] = [];
  const versions = new Set<unknown>();
  value.forEach((event, i) => {
    for (const v of checkCloudEvent(event)) out.push({ pointer: `/${i}${v.pointer}`, detail: v.detail });
    versions.add((event as { specversion?: unknown } | null)?.specversion);
  });
  if (versions.size > 1) out.push({ pointer: '', detail: 'the events of a batch have one specversion' });
  return out;
}
