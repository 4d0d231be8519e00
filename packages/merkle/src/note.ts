import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and the transparency-log
 * checkpoint they carry (c2sp.org/tlog-checkpoint): the format Go's
 * golang.org/x/mod/sumdb/note, transparency-log witnesses and verifiers read.
 */

const ED25519_TYPE = 0x01;
const DASH = '\u2014 ';

/** The 4-byte key id: SHA-256(name ‖ "\n" ‖ 0x01 ‖ public key)[:4]. */
export function noteKeyId(name: string, publicKey: Uint8Array): Buffer {
  return createHash('sha256')
    .update(name)
    .update(Buffer.from([0x0a, ED25519_TYPE]))
    .update(publicKey)
    .digest()
    .subarray(0, 4);
}

function assertKeyName(name: string): void {
  if (name.length === 0 || /[\s+]/u.test(name)) {
    throw new TypeError('a note key name is non-empty, without spaces or "+"');
  }
}

/** The raw 32-byte Ed25519 public key of a key object. */
export function rawEd25519(key: KeyObject): Buffer {
  const jwk = (key.type === 'private' ? createPublicKey(key) : key).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new TypeError('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The verifier key, as note verifiers are configured: `<name>+<hex key id>+<base64(0x01 ‖ key)>`. */
export function verifierKey(name: string, publicKey: KeyObject): string {
  assertKeyName(name);
  const raw = rawEd25519(publicKey);
  return `${name}+${noteKeyId(name, raw).toString('hex')}+${Buffer.concat([Buffer.from([ED25519_TYPE]), raw]).toString('base64')}`;
}

/** Signs `text` (ending in a newline) as a note with one Ed25519 signature. */
export function signNote(text: string, name: string, privateKey: KeyObject): string {
  assertKeyName(name);
  if (!text.endsWith('\n') || text.includes('\n\n')) {
    throw new TypeError('note text ends with a newline and has no blank line');
  }
  const raw = rawEd25519(privateKey);
  const signature = sign(null, Buffer.from(text, 'utf8'), privateKey);
  const blob = Buffer.concat([noteKeyId(name, raw), signature]).toString('base64');
  return `${text}\n${DASH}${name} ${blob}\n`;
}

/**
 * Checks a note's signature by the named key; returns its text. Throws TypeError saying why
 * when the note is malformed, carries no signature by that key, or the signature fails.
 */
export function openNote(note: string, name: string, publicKey: KeyObject): string {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    throw new TypeError('not a signed note: no blank line before signatures');
  const text = note.slice(0, split + 1);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/u.test(note))
    throw new TypeError('a note has no control characters');
  const lines = note.slice(split + 2, -1).split('\n');
  const raw = rawEd25519(publicKey);
  const id = noteKeyId(name, raw);
  for (const line of lines) {
    if (!line.startsWith(DASH)) throw new TypeError(`malformed signature line: ${line}`);
    const [lineName, blob, extra] = line.slice(DASH.length).split(' ');
    if (extra !== undefined || !blob) throw new TypeError(`malformed signature line: ${line}`);
    if (lineName !== name) continue;
    const bytes = Buffer.from(blob, 'base64');
    if (bytes.toString('base64') !== blob) throw new TypeError(`malformed signature line: ${line}`);
    if (bytes.length !== 68 || !bytes.subarray(0, 4).equals(id)) continue;
    if (!verify(null, Buffer.from(text, 'utf8'), publicKey, bytes.subarray(4))) {
      throw new TypeError(`the signature of ${name} does not verify`);
    }
    return text;
  }
  throw new TypeError(`the note carries no signature by ${name}`);
}

export interface Checkpoint {
  /** The log's unique identity, e.g. `pdx.example.com/ledger`. */
  origin: string;
  size: number;
  rootHash: Uint8Array;
  /** Optional extension lines. */
  extensions?: string[];
}

/** The checkpoint's note text (c2sp.org/tlog-checkpoint). */
export function checkpointText(c: Checkpoint): string {
  if (c.origin.length === 0 || c.origin.includes('\n')) throw new TypeError('origin is one non-empty line');
  return [c.origin, String(c.size), Buffer.from(c.rootHash).toString('base64'), ...(c.extensions ?? [])]
    .map((l) => `${l}\n`)
    .join('');
}

/** Parses a checkpoint's text; throws TypeError saying what is wrong. */
export function parseCheckpoint(text: string): Checkpoint {
  const lines = text.split('\n');
  if (lines.at(-1) !== '') throw new TypeError('a checkpoint ends with a newline');
  const [origin, size, root, ...rest] = lines.slice(0, -1);
  if (!origin || !size || !root) throw new TypeError('a checkpoint has an origin, a size and a root hash');
  if (!/^(0|[1-9][0-9]*)$/.test(size) || !Number.isSafeInteger(Number(size))) {
    throw new TypeError(`tree size "${size}" is not a decimal number`);
  }
  const rootHash = Buffer.from(root, 'base64');
  if (rootHash.length !== 32 || rootHash.toString('base64') !== root) {
    throw new TypeError('the root hash is not a base64 SHA-256 hash');
  }
  return { origin, size: Number(size), rootHash, ...(rest.length > 0 ? { extensions: rest } : {}) };
}
