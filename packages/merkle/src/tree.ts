import { EMPTY_ROOT, isPowerOfTwo, nodeHash, splitPoint } from './hash.js';

/**
 * A perfect subtree: the 2^level leaves from index·2^level on. A log stores the hash of each
 * one as it completes (every leaf is one, at level 0), which makes the root of any tree size
 * and every proof a matter of O(log n) stored hashes.
 */
export interface NodeId {
  level: number;
  index: number;
}

/** Reads stored perfect-subtree hashes, many at once; resolves in the order asked. */
export type NodeReader = (ids: readonly NodeId[]) => Promise<readonly Uint8Array[]>;

type Lookup = (level: number, index: number) => Uint8Array;

/** RFC 9162 2.1.1: MTH(D[a:b]) of a range the tree's recursion visits. */
function rangeHash(lookup: Lookup, a: number, b: number): Uint8Array {
  const n = b - a;
  if (n === 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && a % n === 0) return lookup(Math.round(Math.log2(n)), a / n);
  const k = splitPoint(n);
  return nodeHash(rangeHash(lookup, a, a + k), rangeHash(lookup, a + k, b));
}

/** RFC 9162 2.1.3.1: PATH(m, D[a:b]), deepest sibling first. */
function path(lookup: Lookup, m: number, a: number, b: number): Uint8Array[] {
  const n = b - a;
  if (n <= 1) return [];
  const k = splitPoint(n);
  return m < k
    ? [...path(lookup, m, a, a + k), rangeHash(lookup, a + k, b)]
    : [...path(lookup, m - k, a + k, b), rangeHash(lookup, a, a + k)];
}

/** RFC 9162 2.1.4.1: SUBPROOF(m, D[a:b], complete). */
function subproof(lookup: Lookup, m: number, a: number, b: number, complete: boolean): Uint8Array[] {
  const n = b - a;
  if (m === n) return complete ? [] : [rangeHash(lookup, a, b)];
  const k = splitPoint(n);
  return m <= k
    ? [...subproof(lookup, m, a, a + k, complete), rangeHash(lookup, a + k, b)]
    : [...subproof(lookup, m - k, a + k, b, false), rangeHash(lookup, a, a + k)];
}

/**
 * Runs a computation over stored hashes in two passes: the first only learns which perfect
 * subtrees it needs (the recursion depends on sizes, never on hash values), then they are
 * read in one batch, then the second computes.
 */
async function withNodes<T>(read: NodeReader, compute: (lookup: Lookup) => T): Promise<T> {
  const wanted = new Map<string, NodeId>();
  const placeholder = new Uint8Array(32);
  compute((level, index) => {
    wanted.set(`${level}:${index}`, { level, index });
    return placeholder;
  });
  const ids = [...wanted.values()];
  const hashes = await read(ids);
  const byId = new Map(ids.map((id, i) => [`${id.level}:${id.index}`, hashes[i]!]));
  return compute((level, index) => {
    const hash = byId.get(`${level}:${index}`);
    if (!hash) throw new RangeError(`node ${level}:${index} was not read`);
    return hash;
  });
}

function assertSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`${what} must be a non-negative integer`);
}

/** The root of the tree of the first `size` leaves (RFC 9162 MTH). */
export function rootAt(read: NodeReader, size: number): Promise<Uint8Array> {
  assertSize(size, 'size');
  return withNodes(read, (lookup) => rangeHash(lookup, 0, size));
}

/** The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 2.1.3.1). */
export function inclusionProof(read: NodeReader, index: number, size: number): Promise<Uint8Array[]> {
  assertSize(index, 'index');
  assertSize(size, 'size');
  if (index >= size) throw new RangeError(`leaf ${index} is not in a tree of ${size}`);
  return withNodes(read, (lookup) => path(lookup, index, 0, size));
}

/** The consistency proof between the trees of `first` and `second` leaves (RFC 9162 2.1.4.1). */
export function consistencyProof(read: NodeReader, first: number, second: number): Promise<Uint8Array[]> {
  assertSize(first, 'first');
  assertSize(second, 'second');
  if (first < 1 || first > second) {
    throw new RangeError(`no consistency proof from size ${first} to size ${second}`);
  }
  return withNodes(read, (lookup) => subproof(lookup, first, 0, second, true));
}

/**
 * The perfect subtrees that appending leaf `index` (with hash `leaf`) completes: the leaf
 * itself, then each parent whose right child it closes. `left(level, index)` gives a stored
 * sibling on the left.
 */
export async function nodesCompletedBy(
  index: number,
  leaf: Uint8Array,
  left: (id: NodeId) => Promise<Uint8Array>,
): Promise<(NodeId & { hash: Uint8Array })[]> {
  const completed: (NodeId & { hash: Uint8Array })[] = [{ level: 0, index, hash: leaf }];
  let hash = leaf;
  let i = index;
  let level = 0;
  while (i % 2 === 1) {
    hash = nodeHash(await left({ level, index: i - 1 }), hash);
    i = (i - 1) / 2;
    level += 1;
    completed.push({ level, index: i, hash });
  }
  return completed;
}

/** The perfect subtrees a tree of `size` leaves is made of, left to right (its "frontier"). */
export function frontier(size: number): NodeId[] {
  assertSize(size, 'size');
  const ids: NodeId[] = [];
  let start = 0;
  for (let level = 52; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      ids.push({ level, index: start / width });
      start += width;
    }
  }
  return ids;
}

/** An in-memory log of leaf hashes with its perfect subtrees: tests, tools and benchmarks. */
export class MemoryTree {
  readonly #levels: Uint8Array[][] = [];
  size = 0;

  append(leaf: Uint8Array): void {
    let hash = leaf;
    let i = this.size;
    let level = 0;
    for (;;) {
      if (!this.#levels[level]) this.#levels[level] = [];
      this.#levels[level]![i] = hash;
      if (i % 2 === 0) break;
      hash = nodeHash(this.#levels[level]![i - 1]!, hash);
      i = (i - 1) / 2;
      level += 1;
    }
    this.size += 1;
  }

  readonly read: NodeReader = async (ids) =>
    ids.map(({ level, index }) => {
      const hash = this.#levels[level]?.[index];
      if (!hash) throw new RangeError(`no node ${level}:${index}`);
      return hash;
    });
}
