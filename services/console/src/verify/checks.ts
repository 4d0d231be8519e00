import { leafHash, verifyConsistency, verifyInclusion } from '@pdx/merkle/web';
import canonicalize from 'canonicalize';
import { apiGet, type Schemas, type TokenSource } from '../api.js';
import { fromBase64, readHeader, sha256Hex } from '../encoding.js';
import { errorText } from '../errors.js';
import { base64url } from '../keys.js';
import type { MessageKey } from '../messages.js';
import type { Statement, StatementPartner, VerifyInput } from './files.js';
import { fitsAlg, type JwsAlg, type PublicKey, verifySignature } from './jws.js';

/**
 * The validator's checks, computed here with WebCrypto and @pdx/merkle/web: the server
 * supplies keys, heads and proofs, and none of them is believed until it verifies. Each
 * check is a named step with its verdict in words (a catalogue key and its values).
 */

export type CheckId = 'signature' | 'head' | 'inclusion' | 'consistency';
/** `first`: nothing to compare yet (the first head this browser sees of a ledger). */
export type CheckState = 'pass' | 'fail' | 'first' | 'skipped';

export interface Said {
  key: MessageKey;
  values?: Record<string, string | number>;
}

export interface CheckLine extends Said {
  ok: boolean;
}

export interface Check extends Said {
  id: CheckId;
  state: CheckState;
  /** One line per exemption entry (inclusion). */
  lines?: CheckLine[];
}

export type TreeHead = Schemas['LedgerTreeHead'];
export type EntryView = Schemas['LedgerEntryView'];

/** Where keys, heads, entries and proofs come from (the exchange's API; a fake in tests). */
export interface LedgerSource {
  jwks(): Promise<PublicKey[]>;
  latestHead(): Promise<TreeHead>;
  /** Every entry of a buyer and partner, in order. */
  entries(buyerId: string, partnerId: string): Promise<EntryView[]>;
  entry(seq: number): Promise<EntryView>;
  inclusion(seq: number, treeSize: number): Promise<Schemas['LedgerInclusionProof']>;
  consistency(first: number, second: number): Promise<Schemas['LedgerConsistencyProof']>;
}

/** The head of a ledger this browser verified last. */
export interface RememberedHead {
  treeSize: number;
  rootHash: string;
  timestamp: string;
}

/** What this browser remembers, per ledger origin (the signed head's `origin`). */
export interface HeadMemory {
  get(origin: string): RememberedHead | undefined;
  set(origin: string, head: RememberedHead): void;
}

/** The memory kept in `storage` (localStorage): one item per ledger origin. */
export function storedHeads(storage: Pick<Storage, 'getItem' | 'setItem'>): HeadMemory {
  const item = (origin: string) => `pdx-console.ledger-head.${origin}`;
  return {
    get(origin) {
      try {
        const v = JSON.parse(storage.getItem(item(origin)) ?? 'null') as RememberedHead | null;
        return v && Number.isSafeInteger(v.treeSize) && typeof v.rootHash === 'string' ? v : undefined;
      } catch {
        return undefined;
      }
    },
    set(origin, head) {
      storage.setItem(item(origin), JSON.stringify(head));
    },
  };
}

/** The exchange's API as the source (no token on a public ledger with nobody signed in). */
export function apiSource(tokens: TokenSource): LedgerSource {
  return {
    jwks: async () => (await apiGet(tokens, '/.well-known/jwks.json')).keys,
    latestHead: () => apiGet(tokens, '/v1/ledger/heads/latest'),
    entries: async (buyerId, partnerId) =>
      (await apiGet(tokens, '/v1/ledger/entries', { query: { buyerId, partnerId, limit: '1000' } })).entries,
    entry: (seq) => apiGet(tokens, '/v1/ledger/entries/{seq}', { path: { seq: String(seq) } }),
    inclusion: (seq, treeSize) =>
      apiGet(tokens, '/v1/ledger/proofs/inclusion', {
        query: { seq: String(seq), treeSize: String(treeSize) },
      }),
    consistency: (first, second) =>
      apiGet(tokens, '/v1/ledger/proofs/consistency', {
        query: { first: String(first), second: String(second) },
      }),
  };
}

const STATEMENT_TYP = 'pdx-statement+jws';
const TREE_HEAD_TYP = 'pdx-tree-head+jws';

type Outcome = { ok: true; said: Said } | { ok: false; said: Said };
const passed = (key: MessageKey, values?: Said['values']): Outcome => ({ ok: true, said: { key, values } });
const failed = (key: MessageKey, values?: Said['values']): Outcome => ({ ok: false, said: { key, values } });
const unreachable = (error: unknown): Outcome =>
  failed('verify.reason.unreachable', { detail: errorText(error) });

/**
 * Check 1 of a statement: the exchange's key (by kid, from the JWKS) signed exactly this
 * content: the RFC 8785 canonical JSON of the statement without its signature member.
 */
export async function statementSignature(statement: Statement, keys: readonly PublicKey[]): Promise<Outcome> {
  const s = statement.signature as Partial<Record<string, unknown>> | undefined;
  if (!s || typeof s !== 'object') return failed('verify.reason.unsigned');
  const jws = typeof s.jws === 'string' ? s.jws : '';
  const parts = /^([A-Za-z0-9_-]+)\.\.([A-Za-z0-9_-]+)$/.exec(jws);
  if (!parts) return failed('verify.reason.jwsShape');
  const header = readHeader(parts[1]!);
  if (!header) return failed('verify.reason.header');
  if (header.typ !== STATEMENT_TYP)
    return failed('verify.reason.typ', { typ: String(header.typ), want: STATEMENT_TYP });
  const alg = header.alg;
  if (alg !== 'EdDSA' && alg !== 'ES256') return failed('verify.reason.alg', { alg: String(alg) });
  const kid = String(header.kid);
  const key = keys.find((k) => k.kid === kid);
  if (!key)
    return failed('verify.reason.unknownKey', { kid, known: keys.map((k) => k.kid).join(', ') || '—' });
  if (!fitsAlg(key, alg)) return failed('verify.reason.keyKind', { kid, alg });
  const { signature: _signature, ...unsigned } = statement;
  const payload = canonicalize(unsigned) ?? '';
  const digest = `sha-256:${await sha256Hex(payload)}`;
  if (s.digest !== digest)
    return failed('verify.reason.digest', { actual: digest, recorded: String(s.digest) });
  const ok = await verifySignature(
    `${parts[1]}.${base64url(new TextEncoder().encode(payload))}`,
    parts[2]!,
    key,
    alg as JwsAlg,
  );
  return ok ? passed('verify.signature.pass', { kid, alg }) : failed('verify.reason.badSignature', { kid });
}

interface SignedHead {
  origin: string;
  treeSize: number;
  rootHash: string;
  timestamp: string;
}

/** The latest tree head, if the ledger's key (by kid, from the JWKS) signed exactly it. */
export async function signedHead(
  head: TreeHead,
  keys: readonly PublicKey[],
): Promise<{ head?: SignedHead; outcome: Outcome }> {
  const parts = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(head.jws);
  if (!parts) return { outcome: failed('verify.reason.headShape') };
  const header = readHeader(parts[1]!);
  if (!header || header.typ !== TREE_HEAD_TYP || header.alg !== 'EdDSA')
    return { outcome: failed('verify.reason.headHeader', { want: TREE_HEAD_TYP }) };
  const kid = String(header.kid);
  const key = keys.find((k) => k.kid === kid);
  if (!key || !fitsAlg(key, 'EdDSA'))
    return {
      outcome: failed('verify.reason.unknownKey', { kid, known: keys.map((k) => k.kid).join(', ') || '—' }),
    };
  if (!(await verifySignature(`${parts[1]}.${parts[2]}`, parts[3]!, key, 'EdDSA')))
    return { outcome: failed('verify.reason.headSignature', { kid }) };
  const signed = readHeader(parts[2]!) as Partial<SignedHead> | undefined;
  if (
    !signed ||
    typeof signed.origin !== 'string' ||
    !Number.isSafeInteger(signed.treeSize) ||
    typeof signed.rootHash !== 'string' ||
    fromBase64(signed.rootHash)?.length !== 32 ||
    typeof signed.timestamp !== 'string'
  )
    return { outcome: failed('verify.reason.headPayload') };
  for (const field of ['origin', 'treeSize', 'rootHash', 'timestamp'] as const)
    if (head[field] !== signed[field]) return { outcome: failed('verify.reason.headField', { field }) };
  const value = signed as SignedHead;
  return {
    head: value,
    outcome: passed('verify.head.pass', { kid, origin: value.origin, size: value.treeSize }),
  };
}

interface EntryContent {
  seq?: unknown;
  kind?: unknown;
  buyerId?: unknown;
  partnerId?: unknown;
  clause?: unknown;
  certificateIds?: unknown;
  decidedAt?: unknown;
}

/** The content of an entry's text, when it is JSON in canonical form (RFC 8785). */
function contentOf(text: string): EntryContent | undefined {
  try {
    const value = JSON.parse(text) as EntryContent;
    return canonicalize(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The entry, hashed here, is at position `seq` of the tree the signed head commits to. */
async function included(
  seq: number,
  text: string,
  head: SignedHead,
  source: LedgerSource,
): Promise<CheckLine> {
  const content = contentOf(text);
  if (!content) return { ok: false, key: 'verify.reason.notCanonical', values: { seq } };
  if (content.seq !== seq)
    return { ok: false, key: 'verify.reason.seq', values: { seq, inside: String(content.seq) } };
  const about = { seq, kind: String(content.kind), partner: String(content.partnerId), size: head.treeSize };
  if (seq >= head.treeSize) return { ok: false, key: 'verify.reason.notYet', values: about };
  let proof: Schemas['LedgerInclusionProof'];
  try {
    proof = await source.inclusion(seq, head.treeSize);
  } catch (error) {
    return { ok: false, ...unreachable(error).said };
  }
  const path = proof.proof.map(fromBase64);
  const root = fromBase64(head.rootHash)!;
  const verdict =
    proof.treeSize !== head.treeSize || path.some((p) => p === undefined)
      ? { ok: false as const, reason: `the proof is not for a tree of ${head.treeSize} entries` }
      : await verifyInclusion(await leafHash(text), seq, head.treeSize, path as Uint8Array[], root);
  return verdict.ok
    ? { ok: true, key: 'verify.line.included', values: about }
    : { ok: false, key: 'verify.reason.notIncluded', values: { ...about, reason: verdict.reason } };
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);

/**
 * The ledger entry that records a statement's exemption: the last entry of the buyer and
 * partner decided by the statement's date must be a grant (or change of basis) under the
 * same clause, on the same certificates.
 */
async function exemptionIncluded(
  statement: Statement,
  partner: StatementPartner,
  head: SignedHead,
  source: LedgerSource,
): Promise<CheckLine> {
  const exemption = partner.exemption!;
  const certificates = exemption.certificates.map((c) => c.certificateId);
  const about = { partner: partner.partnerId, clause: exemption.clause };
  let views: EntryView[];
  try {
    views = await source.entries(statement.buyerId, partner.partnerId);
  } catch (error) {
    return { ok: false, ...unreachable(error).said };
  }
  const before = views
    .map((v) => ({ v, c: contentOf(v.entry) }))
    .filter(({ c }) => typeof c?.decidedAt === 'string' && c.decidedAt <= statement.generatedAt)
    .at(-1);
  if (!before) return { ok: false, key: 'verify.reason.noEntry', values: about };
  const c = before.c!;
  const ids = Array.isArray(c.certificateIds) ? c.certificateIds.map(String) : [];
  if (
    (c.kind !== 'exemption-granted' && c.kind !== 'exemption-basis-changed') ||
    c.clause !== exemption.clause ||
    !sameSet(ids, certificates)
  )
    return {
      ok: false,
      key: 'verify.reason.otherEntry',
      values: {
        ...about,
        seq: before.v.seq,
        kind: String(c.kind),
        recorded: `${String(c.clause)} (${ids.join(', ')})`,
        stated: `${exemption.clause} (${certificates.join(', ')})`,
      },
    };
  return included(before.v.seq, before.v.entry, head, source);
}

/** Check 3: the head extends the last one this browser verified of the same ledger. */
async function consistent(head: SignedHead, source: LedgerSource, memory: HeadMemory): Promise<Check> {
  const last = memory.get(head.origin);
  const now: RememberedHead = { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp };
  const check = (state: CheckState, key: MessageKey, values: Said['values'] = {}): Check => ({
    id: 'consistency',
    state,
    key,
    values: { origin: head.origin, size: head.treeSize, at: head.timestamp, ...values },
  });
  if (!last) {
    memory.set(head.origin, now);
    return check('first', 'verify.consistency.first');
  }
  const was = { before: last.treeSize, beforeAt: last.timestamp };
  if (head.treeSize < last.treeSize) return check('fail', 'verify.reason.shrank', was);
  if (head.treeSize === last.treeSize) {
    if (head.rootHash !== last.rootHash) return check('fail', 'verify.reason.fork', was);
    return check('pass', 'verify.consistency.same', was);
  }
  let verdict: { ok: boolean; reason?: string };
  if (last.treeSize === 0) verdict = { ok: true };
  else {
    try {
      const { proof } = await source.consistency(last.treeSize, head.treeSize);
      const path = proof.map(fromBase64);
      const lastRoot = fromBase64(last.rootHash);
      verdict =
        path.some((p) => p === undefined) || !lastRoot
          ? { ok: false, reason: 'a hash is not base64' }
          : await verifyConsistency(
              last.treeSize,
              head.treeSize,
              lastRoot,
              fromBase64(head.rootHash)!,
              path as Uint8Array[],
            );
    } catch (error) {
      const said = unreachable(error).said;
      return { id: 'consistency', state: 'fail', ...said };
    }
  }
  if (!verdict.ok)
    return check('fail', 'verify.reason.inconsistent', { ...was, reason: verdict.reason ?? '' });
  memory.set(head.origin, now);
  return check('pass', 'verify.consistency.pass', was);
}

const skipped = (id: CheckId, key: MessageKey): Check => ({ id, state: 'skipped', key });
const asCheck = (id: CheckId, o: Outcome): Check => ({ id, state: o.ok ? 'pass' : 'fail', ...o.said });

/** The head and its checks, or why there is none. */
async function latest(source: LedgerSource, keys: readonly PublicKey[]) {
  try {
    return await signedHead(await source.latestHead(), keys);
  } catch (error) {
    return { head: undefined, outcome: unreachable(error) };
  }
}

/**
 * The three checks of what the validator opened. A statement: its signature; each exemption
 * it states is an entry included in the ledger's signed head; that head is consistent with
 * the last this browser saw. An entry: the head's signature; the entry's inclusion; the same
 * consistency.
 */
export async function verifyInput(
  input: VerifyInput,
  source: LedgerSource,
  memory: HeadMemory,
): Promise<Check[]> {
  let keys: PublicKey[];
  try {
    keys = await source.jwks();
  } catch (error) {
    const said = unreachable(error).said;
    return [
      { id: input.kind === 'statement' ? 'signature' : 'head', state: 'fail', ...said },
      skipped('inclusion', 'verify.inclusion.skipped'),
      skipped('consistency', 'verify.consistency.skipped'),
    ];
  }
  const { head, outcome } = await latest(source, keys);
  const checks: Check[] = [];
  if (input.kind === 'statement') {
    checks.push(asCheck('signature', await statementSignature(input.statement, keys)));
    const exempt = input.statement.partners.filter((p) => p.exemption);
    if (exempt.length === 0) checks.push(skipped('inclusion', 'verify.inclusion.none'));
    else if (!head) checks.push(asCheck('inclusion', outcome));
    else {
      const lines: CheckLine[] = [];
      for (const p of exempt) lines.push(await exemptionIncluded(input.statement, p, head, source));
      const ok = lines.every((l) => l.ok);
      checks.push({
        id: 'inclusion',
        state: ok ? 'pass' : 'fail',
        key: ok ? 'verify.inclusion.pass' : 'verify.inclusion.fail',
        values: { count: lines.length, failed: lines.filter((l) => !l.ok).length, size: head.treeSize },
        lines,
      });
    }
  } else {
    checks.push(asCheck('head', outcome));
    if (!head) checks.push(skipped('inclusion', 'verify.inclusion.skipped'));
    else {
      const line = await included(input.seq, input.entry, head, source);
      checks.push({
        id: 'inclusion',
        state: line.ok ? 'pass' : 'fail',
        key: line.key,
        values: line.values,
      });
    }
  }
  checks.push(
    head ? await consistent(head, source, memory) : skipped('consistency', 'verify.consistency.skipped'),
  );
  return checks;
}
