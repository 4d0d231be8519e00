import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, isPowerOfTwo, leafHash, nodeHash } from './hash.js';
import { checkpointText, openNote, parseCheckpoint, signNote, verifierKey } from './note.js';
import { consistencyProof, inclusionProof, MemoryTree, nodesCompletedBy, rootAt } from './tree.js';
import { verifyConsistency, verifyInclusion } from './verify.js';

const testdata = fileURLToPath(new URL('../test-fixtures/transparency-dev-merkle/testdata', import.meta.url));
const b64 = (s: string | null) => Buffer.from(s ?? '', 'base64');
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// The reference tree of RFC 6962 / transparency-dev/merkle: 8 leaves.
const leaves = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map((h) => Buffer.from(h, 'hex'));
const roots = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const reference = new MemoryTree();
for (const l of leaves) reference.append(leafHash(l));

function vectors<T>(kind: 'inclusion' | 'consistency'): { file: string; v: T }[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
    );
  return walk(join(testdata, kind)).map((file) => ({
    file: file.slice(testdata.length + 1),
    v: JSON.parse(readFileSync(file, 'utf8')) as T,
  }));
}

describe('RFC 6962 / RFC 9162 hashing', () => {
  it('hashes the empty tree, leaves and nodes with their domain-separation prefixes', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(leafHash(Buffer.alloc(0)))).toBe(roots[0]);
    expect(hex(nodeHash(leafHash(leaves[0]!), leafHash(leaves[1]!)))).toBe(roots[1]);
  });

  it('tells powers of two exactly, even past 2^49 where Math.log2 rounds', () => {
    expect([1, 2, 4, 2 ** 30, 2 ** 49, 2 ** 52].every(isPowerOfTwo)).toBe(true);
    expect([0, 3, 6, 2 ** 30 + 1, 2 ** 49 + 1, 2 ** 49 - 1, 2 ** 52 + 2].some(isPowerOfTwo)).toBe(false);
    expect(Number.isInteger(Math.log2(2 ** 49 + 1))).toBe(true);
  });

  it('gives the published roots of the reference tree at every size', async () => {
    const tree = new MemoryTree();
    expect(hex(await rootAt(tree.read, 0))).toBe(hex(EMPTY_ROOT));
    for (let i = 0; i < leaves.length; i++) {
      tree.append(leafHash(leaves[i]!));
      expect(hex(await rootAt(tree.read, i + 1)), `size ${i + 1}`).toBe(roots[i]);
    }
  });
});

describe('the transparency-dev/merkle test data', () => {
  const inclusion = vectors<{
    leafIdx: number;
    treeSize: number;
    root: string;
    leafHash: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }>('inclusion');
  const consistency = vectors<{
    size1: number;
    size2: number;
    root1: string;
    root2: string;
    proof: string[] | null;
    desc: string;
    wantErr: boolean;
  }>('consistency');

  it('has the cases', () => {
    expect(inclusion.length).toBeGreaterThan(90);
    expect(consistency.length).toBeGreaterThan(90);
  });

  it('accepts exactly the inclusion proofs it should', () => {
    for (const { file, v } of inclusion) {
      const verdict = verifyInclusion(
        b64(v.leafHash),
        v.leafIdx,
        v.treeSize,
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      expect(verdict.ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
    }
  });

  it('accepts exactly the consistency proofs it should', () => {
    for (const { file, v } of consistency) {
      const verdict = verifyConsistency(
        v.size1,
        v.size2,
        b64(v.root1),
        b64(v.root2),
        (v.proof ?? []).map(b64),
      );
      expect(verdict.ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
    }
  });

  it('generates the very proofs of the happy paths from the reference tree', async () => {
    let checked = 0;
    for (const { file, v } of inclusion) {
      if (v.wantErr || v.treeSize > 8 || hex(b64(v.root)) !== roots[v.treeSize - 1]) continue;
      const proof = await inclusionProof(reference.read, v.leafIdx, v.treeSize);
      expect(
        proof.map((p) => Buffer.from(p).toString('base64')),
        file,
      ).toEqual(v.proof ?? []);
      checked++;
    }
    for (const { file, v } of consistency) {
      if (v.wantErr || v.size1 < 1 || v.size1 === v.size2 || v.size2 > 8) continue;
      if (hex(b64(v.root2)) !== roots[v.size2 - 1]) continue;
      const proof = await consistencyProof(reference.read, v.size1, v.size2);
      expect(
        proof.map((p) => Buffer.from(p).toString('base64')),
        file,
      ).toEqual(v.proof ?? []);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });
});

describe('proofs over random trees', () => {
  const trees = new Map<number, MemoryTree>();
  const treeOf = (n: number) => {
    let t = trees.get(n);
    if (!t) {
      t = new MemoryTree();
      for (let i = 0; i < n; i++) t.append(leafHash(`entry ${i}`));
      trees.set(n, t);
    }
    return t;
  };
  const flip = (proof: Uint8Array[], i: number, bit: number) =>
    proof.map((p, j) => {
      if (j !== i) return p;
      const c = Buffer.from(p);
      c[bit >> 3]! ^= 1 << (bit & 7);
      return c;
    });

  it('every inclusion proof verifies, and any altered one fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        async (n, i, j, bit) => {
          const t = treeOf(n);
          const index = i % n;
          const root = await rootAt(t.read, n);
          const leaf = leafHash(`entry ${index}`);
          const proof = await inclusionProof(t.read, index, n);
          expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)));
          expect(verifyInclusion(leaf, index, n, proof, root)).toEqual({ ok: true });
          expect(verifyInclusion(leafHash(`entry ${index + 1}`), index, n, proof, root).ok).toBe(false);
          if (proof.length > 0) {
            expect(verifyInclusion(leaf, index, n, flip(proof, j % proof.length, bit), root).ok).toBe(false);
            expect(verifyInclusion(leaf, index, n, proof.slice(1), root).ok).toBe(false);
          }
          expect(verifyInclusion(leaf, index, n, [...proof, root], root).ok).toBe(false);
          if (n > 1) expect(verifyInclusion(leaf, (index + 1) % n, n, proof, root).ok).toBe(false);
        },
      ),
    );
  });

  it('every consistency proof verifies, and any altered one fails', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        async (n, m0, j, bit) => {
          const m = (m0 % n) + 1;
          const t = treeOf(n);
          const first = await rootAt(t.read, m);
          const second = await rootAt(t.read, n);
          const proof = await consistencyProof(t.read, m, n);
          expect(proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(n)) + 1);
          expect(verifyConsistency(m, n, first, second, proof)).toEqual({ ok: true });
          if (m < n) {
            expect(verifyConsistency(m, n, flip([first], 0, bit)[0]!, second, proof).ok).toBe(false);
            expect(verifyConsistency(m, n, first, flip([second], 0, bit)[0]!, proof).ok).toBe(false);
            expect(verifyConsistency(m, n, first, second, flip(proof, j % proof.length, bit)).ok).toBe(false);
            expect(verifyConsistency(m, n, first, second, proof.slice(0, -1)).ok).toBe(false);
            if (m + 1 < n) expect(verifyConsistency(m + 1, n, first, second, proof).ok).toBe(false);
          }
        },
      ),
    );
  });

  it('stores each completed subtree once as leaves are appended', async () => {
    const stored = new Map<string, Uint8Array>();
    const memory = new MemoryTree();
    for (let i = 0; i < 37; i++) {
      const leaf = leafHash(`entry ${i}`);
      memory.append(leaf);
      for (const node of await nodesCompletedBy(
        i,
        leaf,
        async (id) => stored.get(`${id.level}:${id.index}`)!,
      )) {
        expect(stored.has(`${node.level}:${node.index}`)).toBe(false);
        stored.set(`${node.level}:${node.index}`, node.hash);
      }
    }
    // 37 leaves make 36 complete interior subtrees: 37 + 18 + 9 + 4 + 2 + 1 nodes.
    expect(stored.size).toBe(37 + 18 + 9 + 4 + 2 + 1);
    const read = async (ids: readonly { level: number; index: number }[]) =>
      ids.map((id) => stored.get(`${id.level}:${id.index}`)!);
    expect(hex(await rootAt(read, 37))).toBe(hex(await rootAt(memory.read, 37)));
  });
});

describe('C2SP signed-note checkpoints', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const text = checkpointText({
    origin: 'pdx.example.com/ledger',
    size: 8,
    rootHash: Buffer.from(roots[7]!, 'hex'),
  });

  it('formats the checkpoint body line by line', () => {
    expect(text).toBe(`pdx.example.com/ledger\n8\n${Buffer.from(roots[7]!, 'hex').toString('base64')}\n`);
    expect(parseCheckpoint(text)).toEqual({
      origin: 'pdx.example.com/ledger',
      size: 8,
      rootHash: Buffer.from(roots[7]!, 'hex'),
    });
    expect(() => parseCheckpoint('pdx\n08\nAAAA\n')).toThrow(/decimal/);
  });

  it('signs and opens notes; a changed byte or another key fails', () => {
    const note = signNote(text, 'pdx.example.com/ledger', privateKey);
    expect(note.startsWith(`${text}\n\u2014 pdx.example.com/ledger `)).toBe(true);
    expect(openNote(note, 'pdx.example.com/ledger', publicKey)).toBe(text);
    expect(() => openNote(note.replace('\n8\n', '\n9\n'), 'pdx.example.com/ledger', publicKey)).toThrow(
      /does not verify/,
    );
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(() => openNote(note, 'pdx.example.com/ledger', other)).toThrow(/no signature/);
    expect(() => openNote(note, 'someone-else', publicKey)).toThrow(/no signature/);
    expect(verifierKey('pdx.example.com/ledger', publicKey)).toMatch(
      /^pdx\.example\.com\/ledger\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$/,
    );
  });

  it('matches the key id and signature of the example in Go’s golang.org/x/mod/sumdb/note', () => {
    // The package documentation's key "PeterNeumann" (skey PRIVATE+KEY+PeterNeumann+c74f20a3+…)
    // and the note it signs; Ed25519 is deterministic, so the signature is reproduced exactly.
    const seed = Buffer.from('AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz', 'base64').subarray(1);
    const key = createPrivateKey({
      key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
      format: 'der',
      type: 'pkcs8',
    });
    expect(verifierKey('PeterNeumann', createPublicKey(key))).toBe(
      'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW',
    );
    const quote =
      "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    expect(signNote(quote, 'PeterNeumann', key)).toBe(
      `${quote}\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`,
    );
  });
});
