import { createPublicKey, type JsonWebKey, type KeyObject, verify } from 'node:crypto';
import { openNote, parseCheckpoint } from './note.js';
import { TREE_HEAD_TYP, type TreeHead, treeHeadFields } from './tree-head-format.js';

/** A public key of the ledger as a JWK (Ed25519: kty OKP, crv Ed25519, x). */
export interface TreeHeadKey {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
}

/** A tree head as served or stored: its JWS, its checkpoint note, and the fields it states. */
export interface TreeHeadInput {
  jws: string;
  checkpoint?: unknown;
  origin?: unknown;
  treeSize?: unknown;
  rootHash?: unknown;
  timestamp?: unknown;
}

export interface TreeHeadOptions {
  /** The name the checkpoint note must be signed under; default the origin the JWS signs. */
  origin?: string;
  /** `required`: a head without a checkpoint fails; default: checked when there is one. */
  checkpoint?: 'required' | 'if-present';
}

/**
 * The named steps of tree-head verification, in their order:
 * - `format`: the JWS is not compact serialization with a JSON header;
 * - `key`: none of the keys given is the one its kid names;
 * - `signature`: not an EdDSA signature by that key over the payload, or not of the tree-head typ;
 * - `payload`: what was signed is not a tree head (origin, treeSize, rootHash);
 * - `claim`: a field the head states beside its JWS differs from what the JWS signs;
 * - `checkpoint`: the checkpoint note is missing (when required), malformed, or not signed by the key;
 * - `checkpoint-mismatch`: the checkpoint names another size or root than the JWS.
 */
export type TreeHeadStep =
  | 'format'
  | 'key'
  | 'signature'
  | 'payload'
  | 'claim'
  | 'checkpoint'
  | 'checkpoint-mismatch';

export type TreeHeadVerdict =
  | { ok: true; head: TreeHead; kid: string | undefined }
  | { ok: false; step: TreeHeadStep; reason: string; field?: keyof TreeHead };

const fail = (step: TreeHeadStep, reason: string, field?: keyof TreeHead): TreeHeadVerdict => ({
  ok: false,
  step,
  reason,
  ...(field === undefined ? {} : { field }),
});

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Verifies a signed tree head of the exemption ledger: its JWS (compact, EdDSA, typ
 * `pdx-tree-head+jws`) is a signature of one of `keys` — the one its kid names, or the only
 * one given — over exactly the head's fields; the fields stated beside it are those signed;
 * its C2SP checkpoint, when present (or required), is the same head as a signed note by the
 * same key. The one check the CLI's verifier and the ledger's self-check run; each words the
 * failing step its own way. Ed25519 is verified with node:crypto, nothing else is trusted.
 */
export function verifyTreeHead(
  input: TreeHeadInput,
  keys: readonly TreeHeadKey[],
  options: TreeHeadOptions = {},
): TreeHeadVerdict {
  // format: three base64url parts, a JSON object header.
  const parts = input.jws.split('.');
  if (parts.length !== 3 || !parts.every((p) => BASE64URL.test(p))) {
    return fail('format', 'the JWS is not in compact serialization');
  }
  const [encodedHeader, encodedPayload, encodedSignature] = parts as [string, string, string];
  let header: { alg?: unknown; typ?: unknown; kid?: unknown; crit?: unknown };
  try {
    header = JSON.parse(Buffer.from(encodedHeader, 'base64url').toString('utf8')) as typeof header;
  } catch {
    return fail('format', 'the JWS header is not JSON');
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    return fail('format', 'the JWS header is not a JSON object');
  }
  const kid = typeof header.kid === 'string' ? header.kid : undefined;

  // key: named by kid, or the only one given.
  const jwk = keys.find((k) => k.kid === kid) ?? (keys.length === 1 ? keys[0] : undefined);
  if (!jwk) return fail('key', `no key ${kid ?? '(no kid)'} among the ledger keys given`);

  // signature, then typ (RFC 8725 §3.11).
  if (header.alg !== 'EdDSA') return fail('signature', `alg is ${String(header.alg)}, not EdDSA`);
  // No critical extension is understood (RFC 7515 §4.1.11), b64 (RFC 7797) included.
  if (header.crit !== undefined) return fail('signature', 'the JWS header has crit');
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519') return fail('signature', 'the key is not an Ed25519 key');
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { ...jwk } as JsonWebKey, format: 'jwk' });
  } catch (error) {
    return fail('signature', `the key is not usable: ${(error as Error).message}`);
  }
  const signature = Buffer.from(encodedSignature, 'base64url');
  const signedBytes = Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii');
  if (signature.length !== 64 || !verify(null, signedBytes, key, signature)) {
    return fail('signature', 'signature verification failed');
  }
  if (header.typ !== TREE_HEAD_TYP) return fail('signature', `typ is ${String(header.typ)}`);

  // payload: what the key signed is a tree head.
  let signed: Partial<Record<keyof TreeHead, unknown>>;
  try {
    signed = JSON.parse(Buffer.from(encodedPayload, 'base64url').toString('utf8')) as typeof signed;
  } catch {
    return fail('payload', 'the signed payload is not JSON');
  }
  if (
    signed === null ||
    typeof signed !== 'object' ||
    typeof signed.origin !== 'string' ||
    typeof signed.treeSize !== 'number' ||
    typeof signed.rootHash !== 'string'
  ) {
    return fail('payload', 'the signed head lacks origin, treeSize or rootHash');
  }
  const head = signed as TreeHead;

  // claim: what the head states beside its JWS is what the JWS covers.
  for (const field of treeHeadFields) {
    if (input[field] !== undefined && input[field] !== head[field]) {
      return fail('claim', `the head's ${field} is not what its signature covers`, field);
    }
  }

  // checkpoint: the same head as a signed note (c2sp.org/tlog-checkpoint).
  if (typeof input.checkpoint !== 'string') {
    return options.checkpoint === 'required'
      ? fail('checkpoint', 'the head has no checkpoint')
      : { ok: true, head, kid };
  }
  let size: number;
  let rootHash: string;
  try {
    const checkpoint = parseCheckpoint(openNote(input.checkpoint, options.origin ?? head.origin, key));
    size = checkpoint.size;
    rootHash = Buffer.from(checkpoint.rootHash).toString('base64');
  } catch (error) {
    return fail('checkpoint', (error as Error).message);
  }
  if (size !== head.treeSize || rootHash !== head.rootHash) {
    return fail('checkpoint-mismatch', 'it names another size or root');
  }
  return { ok: true, head, kid };
}
