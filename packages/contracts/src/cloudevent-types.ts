/**
 * The CloudEvents 1.0.2 type system (spec §Type System) as checks on decoded JSON strings.
 * Every check is one pass over the string with no regular expression, so its cost is linear
 * in the length whatever the input: they run on every consumed event.
 */

/**
 * CloudEvents `String`: a sequence of allowable Unicode characters. Refused: the control
 * characters U+0000–U+001F and U+007F–U+009F, the noncharacters (U+FDD0–U+FDEF and the last
 * two code points of every plane), and surrogates not used properly in pairs (`"\uDEAD"`).
 */
export function isCloudEventsString(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue;
    if (c <= 0x9f) return false;
    if (c >= 0xd800 && c <= 0xdbff) {
      const low = value.charCodeAt(i + 1);
      if (!(low >= 0xdc00 && low <= 0xdfff)) return false;
      const codePoint = ((c - 0xd800) << 10) + (low - 0xdc00) + 0x10000;
      if ((codePoint & 0xfffe) === 0xfffe) return false;
      i++;
      continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return false;
    if ((c >= 0xfdd0 && c <= 0xfdef) || c >= 0xfffe) return false;
  }
  return true;
}

// RFC 3986 §2 and appendix A character classes, as lookup tables over ASCII.
const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const DIGIT = '0123456789';
const UNRESERVED = `${ALPHA}${DIGIT}-._~`;
const SUB_DELIMS = "!$&'()*+,;=";

function table(chars: string): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  return t;
}

const SCHEME = table(`${ALPHA}${DIGIT}+-.`);
const USERINFO = table(`${UNRESERVED}${SUB_DELIMS}:`);
const REG_NAME = table(`${UNRESERVED}${SUB_DELIMS}`);
const PATH = table(`${UNRESERVED}${SUB_DELIMS}:@/`);
const QUERY_OR_FRAGMENT = table(`${UNRESERVED}${SUB_DELIMS}:@/?`);
const IPV_FUTURE = table(`${UNRESERVED}${SUB_DELIMS}:`);
const HEX = table(`${DIGIT}ABCDEFabcdef`);

const isHex = (c: number) => c < 128 && HEX[c] === 1;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;

/** Whether s[from, to) is made of `allowed` characters and `%` HEXDIG HEXDIG (pct-encoded). */
function run(s: string, from: number, to: number, allowed: Uint8Array, pct = true): boolean {
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && pct) {
      if (i + 2 >= to || !isHex(s.charCodeAt(i + 1)) || !isHex(s.charCodeAt(i + 2))) return false;
      i += 2;
    } else if (c >= 128 || allowed[c] !== 1) {
      return false;
    }
  }
  return true;
}

/** RFC 3986 dec-octet "." dec-octet "." dec-octet "." dec-octet (no leading zeros). */
function isIpv4(s: string, from: number, to: number): boolean {
  let octets = 0;
  let i = from;
  while (i <= to) {
    let j = i;
    while (j < to && isDigit(s.charCodeAt(j))) j++;
    const length = j - i;
    if (length === 0 || length > 3 || (length > 1 && s.charCodeAt(i) === 0x30)) return false;
    if (Number(s.slice(i, j)) > 255) return false;
    octets++;
    if (j === to) break;
    if (s.charCodeAt(j) !== 0x2e || octets === 4) return false;
    i = j + 1;
  }
  return octets === 4;
}

/** RFC 3986 IPv6address: eight 16-bit groups, or fewer around one "::", the last two as IPv4. */
function isIpv6(s: string, from: number, to: number): boolean {
  let groups = 0;
  let elided = false;
  let i = from;
  if (s.charCodeAt(i) === 0x3a) {
    if (s.charCodeAt(i + 1) !== 0x3a || i + 1 >= to) return false;
    elided = true;
    i += 2;
  }
  while (i < to) {
    let j = i;
    while (j < to && isHex(s.charCodeAt(j))) j++;
    if (j < to && s.charCodeAt(j) === 0x2e) {
      if (!isIpv4(s, i, to)) return false;
      groups += 2;
      break;
    }
    if (j === i || j - i > 4) return false;
    groups++;
    if (j === to) break;
    if (s.charCodeAt(j) !== 0x3a) return false;
    i = j + 1;
    if (i === to) return false;
    if (s.charCodeAt(i) === 0x3a) {
      if (elided) return false;
      elided = true;
      i++;
    }
  }
  return elided ? groups <= 7 : groups === 8;
}

/** RFC 3986 authority = [ userinfo "@" ] host [ ":" port ], host an IP-literal, IPv4 or reg-name. */
function isAuthority(s: string, from: number, to: number): boolean {
  const at = s.indexOf('@', from);
  let host = from;
  if (at !== -1 && at < to) {
    if (!run(s, from, at, USERINFO)) return false;
    host = at + 1;
  }
  let portColon: number;
  if (s.charCodeAt(host) === 0x5b) {
    const close = s.indexOf(']', host);
    if (close === -1 || close >= to) return false;
    const literal = host + 1;
    if (s.charCodeAt(literal) === 0x76 || s.charCodeAt(literal) === 0x56) {
      // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
      let j = literal + 1;
      while (j < close && isHex(s.charCodeAt(j))) j++;
      if (j === literal + 1 || s.charCodeAt(j) !== 0x2e || j + 1 >= close) return false;
      if (!run(s, j + 1, close, IPV_FUTURE, false)) return false;
    } else if (!isIpv6(s, literal, close)) {
      return false;
    }
    if (close + 1 === to) return true;
    if (s.charCodeAt(close + 1) !== 0x3a) return false;
    portColon = close + 1;
  } else {
    const colon = s.indexOf(':', host);
    const hostEnd = colon === -1 || colon >= to ? to : colon;
    // An IPv4address is also a reg-name, so the one table covers both.
    if (!run(s, host, hostEnd, REG_NAME)) return false;
    if (hostEnd === to) return true;
    portColon = hostEnd;
  }
  for (let i = portColon + 1; i < to; i++) if (!isDigit(s.charCodeAt(i))) return false;
  return true;
}

/** What {@link parseUriReference} found: whether there is a scheme and a fragment. */
interface UriShape {
  scheme: boolean;
  fragment: boolean;
}

/**
 * RFC 3986 §4.1 URI-reference = URI / relative-ref, following the ABNF of appendix A exactly
 * (ASCII only: an IRI must be percent-encoded first). Returns undefined when `s` is not one.
 */
function parseUriReference(s: string): UriShape | undefined {
  const n = s.length;
  // The first ":" before any "/", "?" or "#" ends a scheme; a relative-ref may not have one
  // there (path-noscheme), so when what precedes it is not a scheme, s is not a reference.
  let k = 0;
  while (k < n) {
    const c = s.charCodeAt(k);
    if (c === 0x3a || c === 0x2f || c === 0x3f || c === 0x23) break;
    k++;
  }
  let scheme = false;
  let i = 0;
  if (k < n && s.charCodeAt(k) === 0x3a) {
    const first = s.charCodeAt(0);
    const alpha = (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
    if (!alpha || !run(s, 1, k, SCHEME, false)) return undefined;
    scheme = true;
    i = k + 1;
  }
  let pathEnd = i;
  while (pathEnd < n) {
    const c = s.charCodeAt(pathEnd);
    if (c === 0x3f || c === 0x23) break;
    pathEnd++;
  }
  let pathStart = i;
  if (s.charCodeAt(i) === 0x2f && s.charCodeAt(i + 1) === 0x2f) {
    // "//" authority path-abempty
    let authorityEnd = i + 2;
    while (authorityEnd < pathEnd && s.charCodeAt(authorityEnd) !== 0x2f) authorityEnd++;
    if (!isAuthority(s, i + 2, authorityEnd)) return undefined;
    pathStart = authorityEnd;
  }
  // path-abempty, path-absolute, path-rootless, path-noscheme and path-empty are all made of
  // pchar and "/"; what tells them apart ("//", the first ":") is settled above.
  if (!run(s, pathStart, pathEnd, PATH)) return undefined;
  let position = pathEnd;
  if (s.charCodeAt(position) === 0x3f) {
    let queryEnd = position + 1;
    while (queryEnd < n && s.charCodeAt(queryEnd) !== 0x23) queryEnd++;
    if (!run(s, position + 1, queryEnd, QUERY_OR_FRAGMENT)) return undefined;
    position = queryEnd;
  }
  let fragment = false;
  if (s.charCodeAt(position) === 0x23) {
    if (!run(s, position + 1, n, QUERY_OR_FRAGMENT)) return undefined;
    fragment = true;
  }
  return { scheme, fragment };
}

/** CloudEvents `URI-reference`: RFC 3986 §4.1 (a relative reference such as `/pdx/intake` is one). */
export function isUriReference(value: string): boolean {
  return parseUriReference(value) !== undefined;
}

/** CloudEvents `URI`: RFC 3986 §4.3 absolute-URI = scheme ":" hier-part [ "?" query ], no fragment. */
export function isAbsoluteUri(value: string): boolean {
  const shape = parseUriReference(value);
  return shape?.scheme === true && !shape.fragment;
}

// RFC 6838 §4.2 restricted-name: the names RFC 2046 media types are registered under.
const RESTRICTED_NAME = table(`${ALPHA}${DIGIT}!#$&-^_.+`);
// RFC 2045 §5.1 token: US-ASCII except SPACE, CTLs and tspecials ()<>@,;:\"/[]?=
const TOKEN = table(
  Array.from({ length: 0x7f - 0x21 }, (_, k) => String.fromCharCode(0x21 + k))
    .filter((ch) => !'()<>@,;:\\"/[]?='.includes(ch))
    .join(''),
);

const ALNUM = table(`${ALPHA}${DIGIT}`);

/** The end of the restricted-name starting at `from` (1 to 127 characters), or -1. */
function restrictedName(s: string, from: number): number {
  const first = s.charCodeAt(from);
  if (!(first < 128 && ALNUM[first] === 1)) return -1;
  let i = from + 1;
  while (i < s.length && i - from < 127) {
    const c = s.charCodeAt(i);
    if (c >= 128 || RESTRICTED_NAME[c] !== 1) break;
    i++;
  }
  return i;
}

const isSpace = (c: number) => c === 0x20 || c === 0x09;

/**
 * A media type as RFC 2046 defines it (`datacontenttype`): type "/" subtype, each an RFC 6838
 * restricted name, then any number of `; attribute=value` parameters (RFC 2045 §5.1: value a
 * token or a quoted-string), with optional blanks around each ";".
 */
export function isMediaType(value: string): boolean {
  const n = value.length;
  let i = restrictedName(value, 0);
  if (i === -1 || value.charCodeAt(i) !== 0x2f) return false;
  i = restrictedName(value, i + 1);
  if (i === -1) return false;
  while (i < n) {
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    if (i === n) return false;
    if (value.charCodeAt(i) !== 0x3b) return false;
    i++;
    while (i < n && isSpace(value.charCodeAt(i))) i++;
    const attribute = i;
    while (i < n && value.charCodeAt(i) < 128 && TOKEN[value.charCodeAt(i)] === 1) i++;
    if (i === attribute || value.charCodeAt(i) !== 0x3d) return false;
    i++;
    if (value.charCodeAt(i) === 0x22) {
      // quoted-string: qtext is any CHAR but '"', '\' and CR; quoted-pair is '\' CHAR.
      i++;
      for (;;) {
        if (i >= n) return false;
        const c = value.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x5c) {
          const escaped = value.charCodeAt(i + 1);
          if (!(escaped === 0x09 || (escaped >= 0x20 && escaped < 0x7f))) return false;
          i += 2;
        } else if (c === 0x09 || (c >= 0x20 && c < 0x7f)) {
          i++;
        } else {
          return false;
        }
      }
      i++;
    } else {
      const start = i;
      while (i < n && value.charCodeAt(i) < 128 && TOKEN[value.charCodeAt(i)] === 1) i++;
      if (i === start) return false;
    }
  }
  return true;
}

const BASE64 = table(`${ALPHA}${DIGIT}+/`);

/** CloudEvents `Binary` string encoding: RFC 4648 §4 base64 with its padding. */
export function isBase64(value: string): boolean {
  const n = value.length;
  if (n % 4 !== 0) return false;
  let end = n;
  if (n > 0 && value.charCodeAt(n - 1) === 0x3d) end = value.charCodeAt(n - 2) === 0x3d ? n - 2 : n - 1;
  return run(value, 0, end, BASE64, false);
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * CloudEvents `Timestamp`: RFC 3339 date-time with seconds and a zone, every field in range (a
 * leap second allowed). The expression is anchored and each part is a fixed-width run or
 * ends at a character the next part cannot start with, so it never backtracks.
 */
export function isRfc3339(value: string): boolean {
  const m = RFC3339.exec(value);
  if (!m) return false;
  const [, y, mo, d, h, mi, s, , , oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (day > daysInMonth) return false;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return false;
  if (oh !== undefined && (Number(oh) > 23 || Number(om) > 59)) return false;
  return true;
}
