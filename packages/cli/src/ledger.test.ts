import { createPrivateKey } from 'node:crypto';
import { canonicalJson } from '@pdx/contracts';
import { generateSigningKey } from '@pdx/crypto';
import {
  checkpointText,
  consistencyProof,
  inclusionProof,
  leafHash,
  MemoryTree,
  rootAt,
  signNote,
} from '@pdx/merkle';
import { CompactSign } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type MonitorState, monitorStep, verifyInclusionFiles } from './ledger.js';

const ORIGIN = 'test.pdx/exemption-ledger';
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const entry = (seq: number, partnerId = `partner-${seq}`) =>
  canonicalJson({ seq, kind: 'exemption-granted', buyerId: 'globex', partnerId, clause: '4.4(c)' });

type Key = Awaited<ReturnType<typeof generateSigningKey>>;

async function signHead(key: Key, treeSize: number, root: Uint8Array, name = ORIGIN) {
  const head = { origin: name, treeSize, rootHash: b64(root), timestamp: '2027-01-01T00:00:00.000Z' };
  const jws = await new CompactSign(new TextEncoder().encode(canonicalJson(head)))
    .setProtectedHeader({ alg: 'EdDSA', typ: 'pdx-tree-head+jws', kid: key.privateJwk.kid })
    .sign(createPrivateKey({ key: { ...key.privateJwk }, format: 'jwk' }));
  const checkpoint = signNote(
    checkpointText({ origin: name, size: treeSize, rootHash: root }),
    name,
    createPrivateKey({ key: { ...key.privateJwk }, format: 'jwk' }),
  );
  return { ...head, jws, checkpoint };
}

describe('pdx ledger, offline', () => {
  let key: Key;
  let stranger: Key;
  const tree = new MemoryTree();
  const other = new MemoryTree();

  beforeAll(async () => {
    key = await generateSigningKey('EdDSA', 'ledger-1');
    stranger = await generateSigningKey('EdDSA', 'ledger-1');
    for (let i = 0; i < 10; i++) {
      tree.append(leafHash(entry(i)));
      other.append(leafHash(entry(i, i === 2 ? 'rewritten' : `partner-${i}`)));
    }
  });

  it('verifies an entry in a signed head, and says why not when anything is off', async () => {
    const head = await signHead(key, 10, await rootAt(tree.read, 10));
    const proof = { seq: 7, treeSize: 10, proof: (await inclusionProof(tree.read, 7, 10)).map(b64) };
    const view = { seq: 7, entry: entry(7), leafHash: b64(leafHash(entry(7))) };
    await expect(verifyInclusionFiles(view, proof, head, [key.publicJwk])).resolves.toMatch(
      /^ok: entry 7 \(exemption-granted globex → partner-7 4\.4\(c\)\) is in the ledger test\.pdx\/exemption-ledger of 10 entries/,
    );
    await expect(
      verifyInclusionFiles({ ...view, entry: entry(7, 'someone-else') }, proof, head, [key.publicJwk]),
    ).rejects.toThrow(/NOT INCLUDED: the proof does not lead to the root hash/);
    await expect(
      verifyInclusionFiles({ ...view, entry: JSON.stringify(JSON.parse(view.entry), null, 1) }, proof, head, [
        key.publicJwk,
      ]),
    ).rejects.toThrow(/not in canonical form/);
    await expect(verifyInclusionFiles(view, proof, head, [stranger.publicJwk])).rejects.toThrow(
      /not signed by the ledger key/,
    );
    await expect(
      verifyInclusionFiles(view, proof, { ...head, rootHash: b64(await rootAt(other.read, 10)) }, [
        key.publicJwk,
      ]),
    ).rejects.toThrow(/rootHash is not what its signature covers/);
    await expect(
      verifyInclusionFiles(view, { ...proof, treeSize: 9 }, head, [key.publicJwk]),
    ).rejects.toThrow(/proof is for a tree of 9 entries, the head for 10/);
  });

  it('follows heads: trusts the first, accepts extensions, refuses anything else', async () => {
    const consistency = (t: MemoryTree) => async (first: number, second: number) => ({
      proof: (await consistencyProof(t.read, first, second)).map(b64),
    });
    const head4 = await signHead(key, 4, await rootAt(tree.read, 4));
    const first = await monitorStep(undefined, head4, [key.publicJwk], consistency(tree));
    expect(first.message).toBe(`trusting the first head: 4 entries, root ${head4.rootHash}`);
    const head10 = await signHead(key, 10, await rootAt(tree.read, 10));
    const next = await monitorStep(first.state, head10, [key.publicJwk], consistency(tree));
    expect(next.message).toBe('consistent: 4 → 10 entries');
    expect((await monitorStep(next.state, head10, [key.publicJwk], consistency(tree))).message).toBe(
      'unchanged: 10 entries',
    );

    // A ledger that rewrote entry 2 and re-signed: it cannot prove it extends what was seen.
    const rewritten = await signHead(key, 10, await rootAt(other.read, 10));
    await expect(monitorStep(first.state, rewritten, [key.publicJwk], consistency(other))).rejects.toThrow(
      /^INCONSISTENT: the head of 10 entries does not extend the head of 4 verified before/,
    );
    await expect(monitorStep(next.state, rewritten, [key.publicJwk], consistency(other))).rejects.toThrow(
      /^INCONSISTENT: two different roots signed for 10 entries/,
    );
    const shrunk = await signHead(key, 3, await rootAt(tree.read, 3));
    await expect(monitorStep(next.state, shrunk, [key.publicJwk], consistency(tree))).rejects.toThrow(
      'INCONSISTENT: the ledger shrank from 10 to 3 entries',
    );
    const renamed = await signHead(key, 10, await rootAt(tree.read, 10), 'elsewhere/ledger');
    await expect(
      monitorStep(first.state as MonitorState, renamed, [key.publicJwk], consistency(tree)),
    ).rejects.toThrow(/now calls itself elsewhere\/ledger/);
    const empty = await signHead(key, 0, await rootAt(tree.read, 0));
    const fromEmpty = await monitorStep(undefined, empty, [key.publicJwk], consistency(tree));
    expect((await monitorStep(fromEmpty.state, head4, [key.publicJwk], consistency(tree))).message).toBe(
      'consistent: 0 → 4 entries',
    );
    const forged = await signHead(stranger, 10, await rootAt(tree.read, 10));
    await expect(monitorStep(first.state, forged, [key.publicJwk], consistency(tree))).rejects.toThrow(
      /not signed by the ledger key/,
    );
  });
});
