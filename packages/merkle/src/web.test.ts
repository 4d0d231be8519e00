import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { leafHash as nodeLeafHash, nodeHash as nodeNodeHash } from './hash.js';
import { consistencyProof, inclusionProof, MemoryTree, rootAt } from './tree.js';
import {
  verifyConsistency as nodeVerifyConsistency,
  verifyInclusion as nodeVerifyInclusion,
} from './verify.js';
import { leafHash, nodeHash, verifyConsistency, verifyInclusion } from './web.js';

// The browser's entry point (@pdx/merkle/web) against the same published vectors as the node
// one: RFC 6962 / 9162 via the transparency-dev/merkle test data.
const here = fileURLToPath(new URL('.', import.meta.url));
const testdata = join(here, '../test-fixtures/transparency-dev-merkle/testdata');
const b64 = (s: string | null) => new Uint8Array(Buffer.from(s ?? '', 'base64'));
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

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

describe('@pdx/merkle/web: WebCrypto hashing for browsers', () => {
  it('hashes leaves and nodes as RFC 9162 2.1.1 says, as the node entry point does', async () => {
    const empty = await leafHash(new Uint8Array(0));
    expect(hex(empty)).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const pair = await nodeHash(empty, await leafHash(Uint8Array.of(0)));
    expect(hex(pair)).toBe('fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125');
    expect(hex(await leafHash('{"seq":0}'))).toBe(hex(nodeLeafHash('{"seq":0}')));
    expect(hex(await leafHash('é'))).toBe(hex(nodeLeafHash(Buffer.from('é', 'utf8'))));
  });

  it('accepts exactly the inclusion proofs of the test data it should', async () => {
    const cases = vectors<{
      leafIdx: number;
      treeSize: number;
      root: string;
      leafHash: string;
      proof: string[] | null;
      desc: string;
      wantErr: boolean;
    }>('inclusion');
    expect(cases.length).toBeGreaterThan(90);
    for (const { file, v } of cases) {
      const verdict = await verifyInclusion(
        b64(v.leafHash),
        v.leafIdx,
        v.treeSize,
        (v.proof ?? []).map(b64),
        b64(v.root),
      );
      expect(verdict.ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
    }
  });

  it('accepts exactly the consistency proofs of the test data it should', async () => {
    const cases = vectors<{
      size1: number;
      size2: number;
      root1: string;
      root2: string;
      proof: string[] | null;
      desc: string;
      wantErr: boolean;
    }>('consistency');
    expect(cases.length).toBeGreaterThan(90);
    for (const { file, v } of cases) {
      const verdict = await verifyConsistency(
        v.size1,
        v.size2,
        b64(v.root1),
        b64(v.root2),
        (v.proof ?? []).map(b64),
      );
      expect(verdict.ok, `${file}: ${v.desc}`).toBe(!v.wantErr);
    }
  });

  it('gives the very verdicts of the node entry point, reasons included, on random and altered proofs', async () => {
    const tree = new MemoryTree();
    for (let i = 0; i < 70; i++) tree.append(nodeLeafHash(`entry ${i}`));
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }),
        fc.nat(),
        fc.nat(),
        fc.nat({ max: 255 }),
        async (n, i, j, bit) => {
          const index = i % n;
          const first = (i % n) + 1;
          const root = await rootAt(tree.read, n);
          const leaf = nodeLeafHash(`entry ${index}`);
          const proof = await inclusionProof(tree.read, index, n);
          const altered = proof.map((p, k) => {
            if (k !== j % Math.max(1, proof.length)) return p;
            const c = Buffer.from(p);
            c[bit >> 3]! ^= 1 << (bit & 7);
            return c;
          });
          for (const p of [proof, altered, proof.slice(1)])
            expect(await verifyInclusion(leaf, index, n, p, root)).toEqual(
              nodeVerifyInclusion(leaf, index, n, p, root),
            );
          const firstRoot = await rootAt(tree.read, first);
          const cproof = await consistencyProof(tree.read, first, n);
          for (const p of [cproof, cproof.slice(1), [...cproof, root]])
            expect(await verifyConsistency(first, n, firstRoot, root, p)).toEqual(
              nodeVerifyConsistency(first, n, firstRoot, root, p),
            );
        },
      ),
      { numRuns: 60 },
    );
    expect(
      await verifyInclusion(nodeNodeHash(Buffer.alloc(32), Buffer.alloc(32)), 0, 1, [], Buffer.alloc(32)),
    ).toEqual({ ok: false, reason: 'the proof does not lead to the root hash' });
  });

  it('imports nothing from node, and uses no Buffer, in what a browser bundles', () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(join(here, file), 'utf8');
      expect(source, file).not.toMatch(/from ['"]node:|require\(|\bBuffer\b/);
      for (const [, dep] of source.matchAll(/from '\.\/([\w-]+)\.js'/g)) visit(`${dep}.ts`);
    };
    visit('web.ts');
    expect([...seen].sort()).toEqual(['proof-steps.ts', 'tree-shape.ts', 'web.ts']);
  });
});
