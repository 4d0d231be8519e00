import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { assertNever, canonicalJson, type PublicJwk } from '@pdx/contracts';
import { leafHash, type TreeHead, verifyConsistency, verifyInclusion, verifyTreeHead } from '@pdx/merkle';
import { CliError, inputInvalid, verificationFailed } from './errors.js';

export type SignedHead = TreeHead;

/** A JSON file named by the option `--<what>`; `otherwise` says what may replace it. */
export function readJson(file: string | undefined, what: string, otherwise = ''): unknown {
  if (!file) throw new CliError(`--${what} <file> is required${otherwise}`, 2);
  if (!existsSync(file)) throw inputInvalid(`no file at ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw inputInvalid(`${file} is not JSON`);
  }
}

/** The ledger's public key from a JWK or JWKS file, chosen by the head's kid. */
export function ledgerKeys(file: string | undefined): PublicJwk[] {
  const value = readJson(file, 'key') as { keys?: PublicJwk[] } & PublicJwk;
  const keys = Array.isArray(value.keys) ? value.keys : [value];
  if (keys.some((k) => typeof k !== 'object' || (k as { d?: unknown }).d !== undefined)) {
    throw inputInvalid(`${file} must hold the ledger's public key (a JWK or a JWKS)`);
  }
  return keys;
}

/**
 * Verifies a tree head with `verifyTreeHead` of @pdx/merkle: its JWS is the ledger key's
 * signature over exactly these fields (typ pdx-tree-head+jws), and its checkpoint, if given,
 * is the same head as a signed note. Returns what was signed.
 */
export async function verifyHead(
  head: { jws?: unknown; checkpoint?: unknown; [field: string]: unknown },
  keys: readonly PublicJwk[],
): Promise<SignedHead> {
  if (typeof head.jws !== 'string') throw inputInvalid('the head has no jws');
  const verdict = verifyTreeHead({ ...head, jws: head.jws }, keys);
  if (verdict.ok) return verdict.head;
  switch (verdict.step) {
    case 'format':
      throw verificationFailed('the head jws is not a compact JWS');
    case 'key':
    case 'claim':
    case 'payload':
      throw verificationFailed(verdict.reason);
    case 'signature':
      throw verificationFailed(`the tree head is not signed by the ledger key: ${verdict.reason}`);
    case 'checkpoint':
    case 'checkpoint-mismatch':
      throw verificationFailed(`the checkpoint does not verify: ${verdict.reason}`);
    default:
      return assertNever(verdict.step);
  }
}

const b64 = (s: unknown, what: string) => {
  if (typeof s !== 'string') throw inputInvalid(`${what} is missing`);
  return Buffer.from(s, 'base64');
};

/**
 * `pdx ledger verify-inclusion`: the entry, hashed as RFC 9162 says, is at its position in
 * the tree the signed head commits to, by the inclusion proof. Returns a one-line summary.
 */
export async function verifyInclusionFiles(
  entryView: { seq?: unknown; entry?: unknown },
  proofView: { seq?: unknown; treeSize?: unknown; proof?: unknown },
  headView: { jws?: unknown; checkpoint?: unknown; [field: string]: unknown },
  keys: readonly PublicJwk[],
): Promise<string> {
  const head = await verifyHead(headView, keys);
  if (typeof entryView.entry !== 'string') throw inputInvalid('the entry file has no "entry" text');
  let content: { seq?: unknown; kind?: string; buyerId?: string; partnerId?: string; clause?: string };
  try {
    content = JSON.parse(entryView.entry) as typeof content;
  } catch {
    throw inputInvalid('the entry text is not JSON');
  }
  if (canonicalJson(content) !== entryView.entry) {
    throw verificationFailed('the entry text is not in canonical form (RFC 8785): it was altered');
  }
  const seq = content.seq;
  if (typeof seq !== 'number' || seq !== entryView.seq || seq !== proofView.seq) {
    throw verificationFailed('the entry, its view and the proof name different positions');
  }
  if (proofView.treeSize !== head.treeSize) {
    throw verificationFailed(
      `the proof is for a tree of ${String(proofView.treeSize)} entries, the head for ${head.treeSize}`,
    );
  }
  if (!Array.isArray(proofView.proof)) throw inputInvalid('the proof file has no "proof" array');
  const verdict = verifyInclusion(
    leafHash(entryView.entry),
    seq,
    head.treeSize,
    proofView.proof.map((p, i) => b64(p, `proof element ${i}`)),
    b64(head.rootHash, 'the head root hash'),
  );
  if (!verdict.ok) throw verificationFailed(`NOT INCLUDED: ${verdict.reason}`);
  return `ok: entry ${seq} (${content.kind} ${content.buyerId} → ${content.partnerId} ${content.clause}) is in the ledger ${head.origin} of ${head.treeSize} entries signed at ${head.timestamp}`;
}

export interface MonitorState {
  origin: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
}

/**
 * One step of `pdx ledger monitor`: the latest head is signed by the ledger key and
 * consistent with the last head verified before (same root at the same size; a valid
 * consistency proof to a larger size; never smaller). Returns the head to remember and
 * what to print.
 */
export async function monitorStep(
  last: MonitorState | undefined,
  latest: { jws?: unknown; checkpoint?: unknown; [field: string]: unknown },
  keys: readonly PublicJwk[],
  consistency: (first: number, second: number) => Promise<{ proof?: unknown }>,
): Promise<{ state: MonitorState; message: string }> {
  const head = await verifyHead(latest, keys);
  const state = {
    origin: head.origin,
    treeSize: head.treeSize,
    rootHash: head.rootHash,
    timestamp: head.timestamp,
  };
  if (!last)
    return { state, message: `trusting the first head: ${head.treeSize} entries, root ${head.rootHash}` };
  if (last.treeSize === 0 && head.treeSize > 0 && last.origin === head.origin) {
    // Every tree extends the empty one.
    return { state, message: `consistent: 0 → ${head.treeSize} entries` };
  }
  if (last.origin !== head.origin) {
    throw verificationFailed(`INCONSISTENT: the ledger now calls itself ${head.origin}, not ${last.origin}`);
  }
  if (head.treeSize < last.treeSize) {
    throw verificationFailed(
      `INCONSISTENT: the ledger shrank from ${last.treeSize} to ${head.treeSize} entries`,
    );
  }
  if (head.treeSize === last.treeSize) {
    if (head.rootHash !== last.rootHash) {
      throw verificationFailed(
        `INCONSISTENT: two different roots signed for ${head.treeSize} entries (${last.rootHash}, ${head.rootHash})`,
      );
    }
    return { state, message: `unchanged: ${head.treeSize} entries` };
  }
  const { proof } = await consistency(last.treeSize, head.treeSize);
  if (!Array.isArray(proof)) throw inputInvalid('the consistency proof has no "proof" array');
  const verdict = verifyConsistency(
    last.treeSize,
    head.treeSize,
    b64(last.rootHash, 'the remembered root'),
    b64(head.rootHash, 'the head root hash'),
    proof.map((p, i) => b64(p, `proof element ${i}`)),
  );
  if (!verdict.ok) {
    throw verificationFailed(
      `INCONSISTENT: the head of ${head.treeSize} entries does not extend the head of ${last.treeSize} verified before: ${verdict.reason}`,
    );
  }
  return { state, message: `consistent: ${last.treeSize} → ${head.treeSize} entries` };
}

export function readState(file: string): MonitorState | undefined {
  if (!existsSync(file)) return undefined;
  return readJson(file, 'state') as MonitorState;
}

export function writeState(file: string, state: MonitorState): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}
