/** Byte encodings (RFC 4648) and hashes the console reads and makes, without Buffer: this runs in the browser. */

const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decode(text: string, alphabet: string, padded: boolean): Uint8Array | undefined {
  const body = padded ? text.replace(/={1,2}$/, '') : text;
  if (padded && text.length % 4 !== 0) return undefined;
  if (body.length % 4 === 1) return undefined;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of body) {
    const v = alphabet.indexOf(ch);
    if (v < 0) return undefined;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  // Leftover bits must be zero: one text, one value (a tampered last character is refused).
  if ((value & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Standard base64, padded (the ledger's hashes); undefined when it is not exactly that. */
export const fromBase64 = (text: string): Uint8Array | undefined => decode(text, STD, true);

/** base64url without padding (JWS); undefined when it is not exactly that. */
export const fromBase64url = (text: string): Uint8Array | undefined =>
  decode(text, STD.replace('+/', '-_'), false);

export const toHex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

export const toBase64 = (bytes: Uint8Array): string => {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = [18, 12, 6, 0].map((s) => STD[(n >> s) & 63]!);
    const keep = Math.min(4, Math.ceil(((bytes.length - i) * 4) / 3));
    out += chars.slice(0, keep).join('') + '='.repeat(4 - keep);
  }
  return out;
};

/** The SHA-256 of bytes (a file) or of a text (UTF-8) in lower-case hex, with WebCrypto: only the hash leaves the browser. */
export async function sha256Hex(data: BufferSource | string): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)));
}

/** The JSON a base64url part of a JWS holds (UTF-8); undefined when it is not exactly that. */
export function jsonOfBase64url(encoded: string): unknown {
  const bytes = fromBase64url(encoded);
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) as unknown;
  } catch {
    return undefined;
  }
}

/** A JWS protected header read from its base64url text; undefined when it is not a JSON object. */
export function readHeader(encoded: string): Record<string, unknown> | undefined {
  const value = jsonOfBase64url(encoded);
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
