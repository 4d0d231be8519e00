import { isPowerOfTwo } from './tree-shape.js';

/**
 * The RFC 9162 verification algorithms written once, apart from how a node is hashed: each
 * is a generator that yields the (left, right) pair it needs hashed and is sent back
 * SHA-256(0x01 ‖ left ‖ right). `verify.ts` drives them with node:crypto (synchronous),
 * `web.ts` with WebCrypto (asynchronous, for the browser): one algorithm, two hashers.
 */

/** Why a proof does not verify; `ok: true` when it does. */
export type Verdict = { ok: true } | { ok: false; reason: string };

/** A verification in steps: yields node-hash requests, returns the verdict. */
export type ProofSteps = Generator<readonly [Uint8Array, Uint8Array], Verdict, Uint8Array>;

const fail = (reason: string): Verdict => ({ ok: false, reason });
const HASH_BYTES = 32;
const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** Byte equality in time independent of where the arrays differ (proof fields are attacker-controlled). */
function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function badHashes(named: Record<string, Uint8Array>, path: readonly Uint8Array[]): string | undefined {
  for (const [name, h] of Object.entries(named))
    if (h.length !== HASH_BYTES) return `${name} is ${h.length} bytes, not a SHA-256 hash`;
  const i = path.findIndex((h) => h.length !== HASH_BYTES);
  return i < 0 ? undefined : `proof element ${i} is ${path[i]!.length} bytes, not a SHA-256 hash`;
}

const sizeOk = (n: number) => Number.isSafeInteger(n) && n >= 0;

/** RFC 9162 2.1.3.2, in steps (see verifyInclusion). */
export function* inclusionSteps(
  leaf: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): ProofSteps {
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
      r = yield [p, r];
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      r = yield [r, p];
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than the tree is deep');
  if (!equal(r, root)) return fail('the proof does not lead to the root hash');
  return { ok: true };
}

/** RFC 9162 2.1.4.2, in steps (see verifyConsistency). */
export function* consistencySteps(
  first: number,
  second: number,
  firstRoot: Uint8Array,
  secondRoot: Uint8Array,
  proof: readonly Uint8Array[],
): ProofSteps {
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
      fr = yield [c, fr];
      sr = yield [c, sr];
      if (!odd(fn)) {
        while (!odd(fn) && fn !== 0) {
          fn = half(fn);
          sn = half(sn);
        }
      }
    } else {
      sr = yield [sr, c];
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return fail('the proof is shorter than needed');
  if (!equal(fr, firstRoot)) return fail('the proof does not lead to the first root hash');
  if (!equal(sr, secondRoot)) return fail('the proof does not lead to the second root hash');
  return { ok: true };
}

/** Runs `steps` with a synchronous node hasher. */
export function runSync(
  steps: ProofSteps,
  hash: (left: Uint8Array, right: Uint8Array) => Uint8Array,
): Verdict {
  let next = steps.next();
  while (!next.done) next = steps.next(hash(...next.value));
  return next.value;
}

/** Runs `steps` with an asynchronous node hasher (WebCrypto). */
export async function runAsync(
  steps: ProofSteps,
  hash: (left: Uint8Array, right: Uint8Array) => Promise<Uint8Array>,
): Promise<Verdict> {
  let next = steps.next();
  while (!next.done) next = steps.next(await hash(...next.value));
  return next.value;
}
