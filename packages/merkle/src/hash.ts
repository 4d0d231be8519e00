import { createHash } from 'node:crypto';

/** RFC 9162 2.1.1: the hash of the empty tree, SHA-256 of nothing. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** RFC 9162 2.1.1: a leaf's hash, SHA-256(0x00 ‖ entry). */
export function leafHash(entry: Uint8Array | string): Buffer {
  return createHash('sha256')
    .update(Buffer.from([0]))
    .update(entry)
    .digest();
}

/** RFC 9162 2.1.1: an interior node's hash, SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash('sha256')
    .update(Buffer.from([1]))
    .update(left)
    .update(right)
    .digest();
}

// Pure arithmetic on tree sizes, apart so the browser's verifier (web.ts) needs no node:crypto.
export { isPowerOfTwo, splitPoint } from './tree-shape.js';
