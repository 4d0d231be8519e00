import { nodeHash } from './hash.js';
import { consistencySteps, inclusionSteps, runSync, type Verdict } from './proof-steps.js';

export type { Verdict } from './proof-steps.js';

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
  return runSync(inclusionSteps(leaf, index, size, proof, root), nodeHash);
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
  return runSync(consistencySteps(first, second, firstRoot, secondRoot, proof), nodeHash);
}
