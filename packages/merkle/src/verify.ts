import { isPowerOfTwo, nodeHash } from './hash.js';

/** Why a proof does not verify; `ok: true` when it does. */
export type Verdict = { ok: true } | { ok: false; reason: string };

const fail = (reason: string): Verdict => ({ ok: false, reason });
const HASH_BYTES = 32;
const equal = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

function badHashes(named: Record<string, Uint8Array>, path: readonly Uint8Array[]): string | undefined {
  for (const [name, h] of Object.entries(named))
    if (h.length !== HASH_BYTES) return `${name} is ${h.length} bytes, not a SHA-256 hash`;
  const i = path.findIndex((h) => h.length !== HASH_BYTES);
  return i < 0 ? undefined : `proof element ${i} is ${path[i]!.length} bytes, not a SHA-256 hash`;
}

const sizeOk = (n: number) => Number.isSafeInteger(n) && n >= 0;

/**
 * RFC 9162 2.1.3.2: does `proof` show the leaf with hash `leaf` at `index` in the tree of
 * `size` leaves whose root is `root`?
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): Verdict {
  if (!sizeOk(index) || !sizeOk(size)) return fail('index and size must be non-negative integers');
  if (index >= size) return fail(`leaf index ${index} is not within tree size ${size}`);
  const bad = badHashes({ 'leaf hash': leaf, 'root hash': root }, proof);
  if (bad) return fail(bad);
  let fn = index;
  let sn = size - 1;
  let r: Uint8Array = leaf;
  for (const p of proof) {
    if (sn === 0) return fail('the proof is longer than the tree is deep');
    if (odd(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than the tree is deep');
  if (!equal(r, root)) return fail('the proof does not lead to the root hash');
  return { ok: true };
}

/**
 * RFC 9162 2.1.4.2: does `proof` show that the tree of `first` leaves with root `firstRoot`
 * is a prefix of the tree of `second` leaves with root `secondRoot`?
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): Verdict {
  if (!sizeOk(first) || !sizeOk(second)) return fail('sizes must be non-negative integers');
  if (first === 0) return fail('consistency with the empty tree proves nothing');
  if (first > second) return fail(`size ${first} is larger than size ${second}`);
  if (first === second) {
    if (proof.length > 0) return fail('trees of the same size need an empty proof');
    return equal(firstRoot, secondRoot) ? { ok: true } : fail('same size, different root hashes');
  }
  if (proof.length === 0) return fail('the proof is empty');
  const bad = badHashes({ 'first root hash': firstRoot, 'second root hash': secondRoot }, proof);
  if (bad) return fail(bad);
  const path = isPowerOfTwo(first) ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return fail('the proof is longer than needed');
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than needed');
  if (!equal(fr, firstRoot)) return fail('the proof does not lead to the first root hash');
  if (!equal(sr, secondRoot)) return fail('the proof does not lead to the second root hash');
  return { ok: true };
}
