import { consistencySteps, inclusionSteps, runAsync, type Verdict } from './proof-steps.js';

/**
 * The verifier for browsers (`@pdx/merkle/web`): the same RFC 9162 algorithms as the node
 * entry point, hashing with WebCrypto's SHA-256, hence asynchronous. Nothing here imports
 * node: a console bundles it without polyfills, and a validator checks proofs itself instead
 * of trusting the server that sent them.
 */

export type { Verdict } from './proof-steps.js';
export { isPowerOfTwo } from './tree-shape.js';

function subtle(): typeof globalThis.crypto.subtle {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new TypeError('WebCrypto (crypto.subtle) is not available: a secure context is needed');
  return s;
}

async function sha256(...parts: readonly Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', all));
}

/** RFC 9162 2.1.1: a leaf's hash, SHA-256(0x00 ‖ entry); a string is hashed as UTF-8. */
export function leafHash(entry: Uint8Array | string): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0), typeof entry === 'string' ? new TextEncoder().encode(entry) : entry);
}

/** RFC 9162 2.1.1: an interior node's hash, SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(1), left, right);
}

/** RFC 9162 2.1.3.2, as `verifyInclusion` of `@pdx/merkle`, hashing with WebCrypto. */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Promise<Verdict> {
  return runAsync(inclusionSteps(leaf, index, size, proof, root), nodeHash);
}

/** RFC 9162 2.1.4.2, as `verifyConsistency` of `@pdx/merkle`, hashing with WebCrypto. */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Promise<Verdict> {
  return runAsync(consistencySteps(first, second, firstRoot, secondRoot, proof), nodeHash);
}
