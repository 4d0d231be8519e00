import { type CloudEvent, checkCloudEvent, toCloudEvent } from './cloudevent.js';
import { PdxError } from './errors.js';
import { escapeToken } from './json-pointer.js';

/**
 * What `JSON.parse` does not tell about a JSON text: which member names repeat within their
 * object (JSON.parse silently keeps the last, another parser may keep the first), and which
 * top-level members hold a number written with a fraction or an exponent (`10.0` and `1e3`
 * decode to integers, but the CloudEvents JSON format allows only the integer component for
 * an Integer).
 */
export interface JsonTextFacts {
  /** RFC 6901 pointers of every member whose name repeats an earlier one of its object (at most 16). */
  duplicates: readonly string[];
  /** Top-level member names whose value is a number with a fraction or an exponent. */
  nonIntegerNumbers: ReadonlySet<string>;
}

const MAX_DUPLICATES = 16;
const NO_NUMBERS: ReadonlySet<string> = new Set();

/** The index of the quote that closes the string whose contents start at `from`. */
function stringEnd(text: string, from: number): number {
  let j = from;
  for (;;) {
    j = text.indexOf('"', j);
    if (j === -1) throw new TypeError('scanJsonText needs well-formed JSON');
    // The quote is escaped when an odd number of backslashes precede it.
    let k = j - 1;
    while (text.charCodeAt(k) === 0x5c) k--;
    if ((j - 1 - k) % 2 === 0) return j;
    j++;
  }
}

/**
 * One linear pass over a text that `JSON.parse` accepted, reporting what parsing hides (see
 * {@link JsonTextFacts}). It relies on the text being well-formed JSON, so it only tracks
 * structure: strings are skipped with `indexOf`, a member name is decoded only when it
 * holds an escape (`"\u0069d"` is `"id"`), and a Set per object holds its names.
 */
export function scanJsonText(text: string): JsonTextFacts {
  const duplicates: string[] = [];
  let nonIntegerNumbers: Set<string> | undefined;
  // Per open container: the names seen so far (an object) or null (an array), the name of the
  // member being read, and the index of the element being read.
  const seen: (Set<string> | null)[] = [];
  const names: string[] = [];
  const indexes: number[] = [];
  let depth = 0;
  let expectName = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i + 1);
      if (expectName) {
        let name = text.slice(i + 1, end);
        if (name.includes('\\')) name = JSON.parse(text.slice(i, end + 1)) as string;
        const own = seen[depth - 1]!;
        if (!own.has(name)) own.add(name);
        else if (duplicates.length < MAX_DUPLICATES) {
          let pointer = '';
          for (let d = 0; d < depth - 1; d++) {
            pointer += seen[d] === null ? `/${indexes[d]}` : `/${escapeToken(names[d]!)}`;
          }
          duplicates.push(`${pointer}/${escapeToken(name)}`);
        }
        names[depth - 1] = name;
        expectName = false;
      }
      i = end + 1;
    } else if (c === 0x7b) {
      seen[depth] = new Set();
      depth++;
      expectName = true;
      i++;
    } else if (c === 0x5b) {
      seen[depth] = null;
      indexes[depth] = 0;
      depth++;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      expectName = false;
      i++;
    } else if (c === 0x2c) {
      if (seen[depth - 1] === null) indexes[depth - 1]!++;
      else expectName = true;
      i++;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) continue;
        // ".", "e", "E", and the sign of an exponent.
        if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) integer = false;
        else break;
      }
      if (!integer && depth === 1 && seen[0] !== null) {
        nonIntegerNumbers ??= new Set();
        nonIntegerNumbers.add(names[0]!);
      }
      i = j;
    } else {
      // Blanks, ":", and the letters of true, false and null.
      i++;
    }
  }
  return { duplicates, nonIntegerNumbers: nonIntegerNumbers ?? NO_NUMBERS };
}

/**
 * The fast path of {@link readJsonText}: counts the members of every object in the text (one
 * ":" outside strings each) and finds the top-level numbers with a fraction or an exponent,
 * without decoding a name unless such a number follows it.
 */
function countTextMembers(
  text: string,
  topLevelObject: boolean,
): { members: number; nonIntegerNumbers: ReadonlySet<string> } {
  let members = 0;
  let nonIntegerNumbers: Set<string> | undefined;
  let depth = 0;
  // The last string read: at depth 1, the name of the member whose value follows.
  let nameStart = 0;
  let nameEnd = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      nameStart = i;
      nameEnd = stringEnd(text, i + 1);
      i = nameEnd + 1;
    } else if (c === 0x3a) {
      members++;
      i++;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      i++;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
      i++;
    } else if (depth === 1 && topLevelObject && (c === 0x2d || (c >= 0x30 && c <= 0x39))) {
      let j = i + 1;
      let integer = true;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d >= 0x30 && d <= 0x39) continue;
        if (d === 0x2e || d === 0x65 || d === 0x45 || d === 0x2b || d === 0x2d) integer = false;
        else break;
      }
      if (!integer) {
        nonIntegerNumbers ??= new Set();
        nonIntegerNumbers.add(JSON.parse(text.slice(nameStart, nameEnd + 1)) as string);
      }
      i = j;
    } else {
      i++;
    }
  }
  return { members, nonIntegerNumbers: nonIntegerNumbers ?? NO_NUMBERS };
}

/** The members of every object in a decoded value (iteratively: JSON.parse allows any depth). */
function countValueMembers(value: unknown): number {
  let members = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const v = pending.pop();
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      for (const item of v) if (item !== null && typeof item === 'object') pending.push(item);
    } else {
      // Own members only: an enumerable property planted on Object.prototype must not make up
      // for a member that JSON.parse dropped.
      const names = Object.keys(v);
      members += names.length;
      for (const name of names) {
        const item = (v as Record<string, unknown>)[name];
        if (item !== null && typeof item === 'object') pending.push(item);
      }
    }
  }
  return members;
}

/**
 * A JSON text decoded, with the facts {@link scanJsonText} would find; PDX_EVENT_ENVELOPE_INVALID if
 * not JSON. Repeated names are found by counting: JSON.parse keeps one member per name, so the
 * decoded value has as many members as the text exactly when no name repeats. Only when they
 * differ is the text scanned name by name, to say where.
 */
export function readJsonText(text: string): { value: unknown; facts: JsonTextFacts } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = `not JSON: ${(error as Error).message}`;
    throw new PdxError('PDX_EVENT_ENVELOPE_INVALID', detail, {
      violations: [{ pointer: '', detail }],
      cause: error,
    });
  }
  const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
  const { members, nonIntegerNumbers } = countTextMembers(text, isObject);
  if (members === countValueMembers(value)) return { value, facts: { duplicates: [], nonIntegerNumbers } };
  return { value, facts: { duplicates: scanJsonText(text).duplicates, nonIntegerNumbers } };
}

/**
 * Parses a CloudEvent from the exact text received (structured mode, JSON format), so that
 * what `JSON.parse` hides is refused too: a repeated attribute (each context attribute
 * appears at most once; the `id` that deduplication relies on must not depend on the parser)
 * and an Integer written as `10.0` or `1e3`. Repeated members inside `data` are the
 * application's concern: {@link parsePdxEventText} refuses them for pdx events.
 * Throws PdxError PDX_EVENT_ENVELOPE_INVALID with every violation.
 */
export function parseCloudEventText(text: string): CloudEvent {
  const { value, facts } = readJsonText(text);
  return toCloudEvent(value, checkCloudEvent(value, facts));
}
