import type { PublicJwk } from '@pdx/contracts';
import { verifyTreeHead } from '@pdx/merkle';
import { type EntryDoc, type HeadDoc, type NodeDoc, nodeId, PAGE } from './ledger-docs.js';
import { entryProblem, Frontier, type LogStore, storedRoot } from './ledger-log.js';
import type { SequencerStore } from './sequencer.js';

export interface IntegrityReport {
  ok: boolean;
  checkedAt: string;
  entries: number;
  nodes: number;
  heads: number;
  /** What is wrong, first problems first (at most 20). */
  problems: string[];
}

/**
 * Re-derives the whole tree from the stored entries and compares: each entry hashes to its
 * leaf hash and sits at its position with none missing, every stored interior node equals the
 * hash of its children, and every tree head kept verifies (`verifyTreeHead`: signed by the
 * ledger's key, its checkpoint the same head under the ledger's origin) and has the root of
 * the tree at its size. A change or removal made directly in the database shows up
 * here.
 */
export async function selfCheck(
  store: SequencerStore,
  ledgerKey: PublicJwk,
  origin: string,
  now: () => number,
): Promise<IntegrityReport> {
  const problems: string[] = [];
  const problem = (p: string) => {
    if (problems.length < 20) problems.push(p);
  };
  const frontier = new Frontier(0, []);
  const loadedNodes = new Map<number, { page: number; byId: Map<string, NodeDoc> }>();
  const storedNode = async (level: number, index: number) => {
    const page = Math.floor(index / PAGE);
    let loaded = loadedNodes.get(level);
    if (loaded?.page !== page) {
      const docs = await store.nodes.find({ level, page });
      loaded = { page, byId: new Map(docs.map((d) => [d.id, d])) };
      loadedNodes.set(level, loaded);
    }
    return loaded.byId.get(nodeId(level, index));
  };
  // What the signed heads commit to, read first: the sequencer may sign more meanwhile, and
  // entries beyond the latest head may be a batch still being written (its holder, or the
  // next one, completes it).
  const heads: HeadDoc[] = await store.heads.find({}, { sort: { field: 'id', order: 1 } });
  const signed = Math.max(0, ...heads.map((h) => h.treeSize));
  let nodes = 0;
  let seq = 0;
  for (let page = 0; seq < signed; page++) {
    const docs: EntryDoc[] = (
      await store.entries.find({ page }, { sort: { field: 'seq', order: 1 } })
    ).filter((d) => d.seq < signed);
    if (docs.length === 0) break;
    for (const doc of docs) {
      if (doc.seq !== seq) {
        problem(`entry ${seq} is missing`);
        break;
      }
      const bad = entryProblem(doc, seq);
      if (bad) problem(bad);
      for (const n of frontier.push(Buffer.from(doc.leafHash, 'base64'))) {
        nodes += 1;
        const stored = await storedNode(n.level, n.index);
        if (!stored) problem(`node ${nodeId(n.level, n.index)} is missing`);
        else if (stored.hash !== Buffer.from(n.hash).toString('base64'))
          problem(`node ${nodeId(n.level, n.index)} is not the hash of its children`);
      }
      seq += 1;
    }
    if (problems.length > 0) break;
  }
  const roots = new Map<number, string>();
  for (const h of heads) {
    const verdict = verifyTreeHead(h, [ledgerKey], { origin, checkpoint: 'required' });
    if (!verdict.ok) {
      if (verdict.step === 'checkpoint-mismatch')
        problem(`head ${h.id}: its checkpoint says another size or root`);
      else if (verdict.step === 'claim' || verdict.step === 'payload')
        problem(`head ${h.id} does not match its signature`);
      else problem(`head ${h.id} is not signed by the ledger's key: ${verdict.reason}`);
    }
    if (h.treeSize > seq) {
      problem(`entry ${seq} is missing: head ${h.id} covers ${h.treeSize} entries`);
      continue;
    }
    if (problems.length > 0) continue;
    let root = roots.get(h.treeSize);
    if (root === undefined) {
      root = Buffer.from(await storedRoot(store as LogStore, h.treeSize)).toString('base64');
      roots.set(h.treeSize, root);
    }
    if (root !== h.rootHash)
      problem(`the tree of ${h.treeSize} entries no longer has the root of head ${h.id}`);
  }
  return {
    ok: problems.length === 0,
    checkedAt: new Date(now()).toISOString(),
    entries: seq,
    nodes,
    heads: heads.length,
    problems,
  };
}
