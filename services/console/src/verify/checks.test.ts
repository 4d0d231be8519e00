import { createHash } from 'node:crypto';
import { generateSigningKey, signCompact } from '@pdx/crypto';
import { consistencyProof, inclusionProof, leafHash, MemoryTree, rootAt } from '@pdx/merkle';
import canonicalize from 'canonicalize';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { anonymous } from '../api.js';
import { fromBase64, fromBase64url, toBase64 } from '../encoding.js';
import type { ConsoleError } from '../keys.js';
import {
  apiSource,
  type Check,
  type HeadMemory,
  type LedgerSource,
  storedHeads,
  type TreeHead,
  verifyInput,
} from './checks.js';
import { readVerifyFile, type Statement } from './files.js';

type Key = Awaited<ReturnType<typeof generateSigningKey>>;
const canonical = (v: unknown) => canonicalize(v)!;
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

/** A ledger as the exchange runs it, in memory: entries, signed heads, proofs. */
class FakeLedger {
  readonly tree = new MemoryTree();
  readonly entries: string[] = [];
  head!: TreeHead;
  /** Proofs the source serves instead of the real ones (a lying server). */
  lie: { consistency?: string[] } = {};
  constructor(
    readonly key: Key,
    readonly origin = 'test.pdx/exemption-ledger',
  ) {}
  append(content: Record<string, unknown>) {
    const entry = canonical({ ...content, seq: this.entries.length });
    this.entries.push(entry);
    this.tree.append(leafHash(entry));
  }
  async sign(at = '2027-06-01T00:00:00.000Z', key = this.key) {
    const head = {
      origin: this.origin,
      treeSize: this.entries.length,
      rootHash: b64(await rootAt(this.tree.read, this.entries.length)),
      timestamp: at,
    };
    this.head = {
      ...head,
      jws: await signCompact(canonical(head), key.privateJwk, 'pdx-tree-head+jws'),
      checkpoint: '',
    };
  }
  source(keys: Key[]): LedgerSource {
    const view = (seq: number) => ({
      seq,
      entry: this.entries[seq]!,
      leafHash: b64(leafHash(this.entries[seq]!)),
    });
    return {
      jwks: async () => keys.map((k) => k.publicJwk as never),
      latestHead: async () => this.head,
      entries: async (buyerId, partnerId) =>
        this.entries
          .map((_, seq) => view(seq))
          .filter((v) => {
            const c = JSON.parse(v.entry);
            return c.buyerId === buyerId && c.partnerId === partnerId;
          }),
      entry: async (seq) => view(seq),
      inclusion: async (seq, treeSize) => ({
        seq,
        treeSize,
        leafHash: view(seq).leafHash,
        proof: (await inclusionProof(this.tree.read, seq, treeSize)).map(b64),
      }),
      consistency: async (first, second) => ({
        first,
        second,
        proof: this.lie.consistency ?? (await consistencyProof(this.tree.read, first, second)).map(b64),
      }),
    };
  }
}

const memory = (): HeadMemory & { items: Map<string, string> } => {
  const items = new Map<string, string>();
  return {
    items,
    ...storedHeads({ getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) }),
  };
};

const grant = (partnerId: string, certificateIds: string[], decidedAt = '2027-05-01T00:00:00.000Z') => ({
  kind: 'exemption-granted',
  buyerId: 'globex',
  partnerId,
  clause: '4.4(c)',
  basis: 'designated Authorized Economic Operator',
  certificateIds,
  decidedAt,
  policyVersion: 0,
  causeEventId: `e-${partnerId}-${decidedAt}`,
  decisionCause: { kind: 'event', eventId: 'x', eventType: 'org.pdx.certificate.attested.v1' },
});

const certificate = (certificateId: string, number: string) => ({
  certificateId,
  schemeId: 'eu-aeo-aeos',
  scheme: 'EU AEO — Security and Safety (AEOS)',
  number,
  issuingAuthority: { partyId: 'zoll', name: 'Zoll' },
  trust: 'attested' as const,
  validFrom: '2026-01-01T00:00:00.000Z',
  state: 'active' as const,
});

const unsigned: Omit<Statement, 'signature'> = {
  type: 'pdx.statement-of-application',
  standard: 'ISO 28001 4.1',
  buyerId: 'globex',
  legalName: 'Globex Retail AG',
  buyer: { partyId: 'globex', legalName: 'Globex Retail AG', country: 'DE', identifiers: [] },
  generatedAt: '2027-06-01T00:00:00.000Z',
  policyVersion: 0,
  catalogueVersion: 1,
  scope: { functions: ['warehouse'], locations: ['DEHAM'] },
  partners: [
    {
      partnerId: 'acme',
      legalName: 'ACME Logistics GmbH',
      country: 'DE',
      identifiers: [],
      functions: ['warehouse'],
      locations: ['DEHAM'],
      status: 'exempt',
      clauses: ['4.4(c)'],
      exemption: { clause: '4.4(c)', certificates: [certificate('eu-aeo-aeos~1', 'DE AEOS 1/27')] },
      obligations: [],
    },
    {
      partnerId: 'beta',
      legalName: 'Beta Freight',
      country: 'DE',
      identifiers: [],
      functions: ['warehouse'],
      locations: ['DEHAM'],
      status: 'declaration-required',
      clauses: [],
      obligations: ['declaration required'],
    },
  ],
  summary: { partners: 2 },
};

async function signStatement(key: Key, statement: object): Promise<Statement> {
  const payload = canonical(statement);
  const [h, , s] = (await signCompact(payload, key.privateJwk, 'pdx-statement+jws')).split('.');
  return {
    ...statement,
    signature: {
      typ: 'pdx-statement+jws',
      alg: key.privateJwk.kty === 'EC' ? 'ES256' : 'EdDSA',
      kid: key.privateJwk.kid,
      canonicalization: 'RFC 8785',
      digest: `sha-256:${createHash('sha256').update(payload).digest('hex')}`,
      jwks: '/.well-known/jwks.json',
      jws: `${h}..${s}`,
    },
  } as Statement;
}

const states = (checks: Check[]) => checks.map((c) => `${c.id}:${c.state}:${c.key}`);

describe('the validator: a Statement of Application', () => {
  let exchange: Key;
  let ledgerKey: Key;
  let stranger: Key;
  let ledger: FakeLedger;
  let signed: Statement;

  beforeAll(async () => {
    exchange = await generateSigningKey('ES256', 'exchange-1');
    ledgerKey = await generateSigningKey('EdDSA', 'ledger-1');
    stranger = await generateSigningKey('EdDSA', 'exchange-1');
    ledger = new FakeLedger(ledgerKey);
    ledger.append(grant('other', ['c~9']));
    ledger.append(grant('acme', ['eu-aeo-aeos~1']));
    ledger.append(grant('zeta', ['c~8']));
    await ledger.sign();
    signed = await signStatement(exchange, unsigned);
  });

  it('ticks all three for a statement as signed: signature, each exemption in the signed head, first head remembered', async () => {
    const seen = memory();
    const source = ledger.source([exchange, ledgerKey]);
    const checks = await verifyInput({ kind: 'statement', statement: signed }, source, seen);
    expect(states(checks)).toEqual([
      'signature:pass:verify.signature.pass',
      'inclusion:pass:verify.inclusion.pass',
      'consistency:first:verify.consistency.first',
    ]);
    expect(checks[1]!.lines).toEqual([
      {
        ok: true,
        key: 'verify.line.included',
        values: { seq: 1, kind: 'exemption-granted', partner: 'acme', size: 3 },
      },
    ]);
    expect(seen.get(ledger.origin)).toEqual({
      treeSize: 3,
      rootHash: ledger.head.rootHash,
      timestamp: '2027-06-01T00:00:00.000Z',
    });
    // The next visit compares: the same head again.
    const again = await verifyInput({ kind: 'statement', statement: signed }, source, seen);
    expect(again[2]).toMatchObject({ state: 'pass', key: 'verify.consistency.same' });
  });

  it('fails the signature of a copy with one byte changed, saying it was altered after signing', async () => {
    const tampered = structuredClone(signed);
    tampered.partners[0]!.exemption!.certificates[0]!.number = 'DE AEOS 7/27';
    const checks = await verifyInput(
      { kind: 'statement', statement: tampered },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[0]).toMatchObject({ id: 'signature', state: 'fail', key: 'verify.reason.digest' });
    expect(String(checks[0]!.values!.recorded)).toBe(signed.signature!.digest);
  });

  it('fails the inclusion of an exemption the ledger does not record, naming what it records instead', async () => {
    const other = structuredClone(unsigned);
    other.partners[0]!.exemption!.certificates[0]!.certificateId = 'eu-aeo-aeos~2';
    const checks = await verifyInput(
      { kind: 'statement', statement: await signStatement(exchange, other) },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(states(checks).slice(0, 2)).toEqual([
      'signature:pass:verify.signature.pass',
      'inclusion:fail:verify.inclusion.fail',
    ]);
    expect(checks[1]!.lines![0]).toMatchObject({
      ok: false,
      key: 'verify.reason.otherEntry',
      values: {
        partner: 'acme',
        seq: 1,
        recorded: '4.4(c) (eu-aeo-aeos~1)',
        stated: '4.4(c) (eu-aeo-aeos~2)',
      },
    });
  });

  it('fails an exemption decided after the statement was generated, and one not yet in a signed head', async () => {
    const late = new FakeLedger(ledgerKey);
    late.append(grant('acme', ['eu-aeo-aeos~1'], '2027-07-01T00:00:00.000Z'));
    await late.sign();
    let checks = await verifyInput(
      { kind: 'statement', statement: signed },
      late.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[1]!.lines![0]).toMatchObject({ ok: false, key: 'verify.reason.noEntry' });
    const pending = new FakeLedger(ledgerKey);
    await pending.sign();
    pending.append(grant('acme', ['eu-aeo-aeos~1']));
    checks = await verifyInput(
      { kind: 'statement', statement: signed },
      pending.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[1]!.lines![0]).toMatchObject({
      ok: false,
      key: 'verify.reason.notYet',
      values: { seq: 0, size: 0 },
    });
  });

  it('refuses a statement signed by another key under the same kid, or by a key not published', async () => {
    const forged = await signStatement(stranger, unsigned);
    let checks = await verifyInput(
      { kind: 'statement', statement: forged },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[0]).toMatchObject({ state: 'fail', key: 'verify.reason.keyKind' });
    const namesake = await generateSigningKey('ES256', 'exchange-1');
    checks = await verifyInput(
      { kind: 'statement', statement: await signStatement(namesake, unsigned) },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[0]).toMatchObject({
      state: 'fail',
      key: 'verify.reason.badSignature',
      values: { kid: 'exchange-1' },
    });
    checks = await verifyInput(
      { kind: 'statement', statement: signed },
      ledger.source([ledgerKey]),
      memory(),
    );
    expect(checks[0]).toMatchObject({
      state: 'fail',
      key: 'verify.reason.unknownKey',
      values: { kid: 'exchange-1', known: 'ledger-1' },
    });
    const { signature: _none, ...bare } = signed;
    checks = await verifyInput(
      { kind: 'statement', statement: bare as Statement },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[0]).toMatchObject({ state: 'fail', key: 'verify.reason.unsigned' });
  });

  it('says there is nothing to find when the statement names no exemption', async () => {
    const none = structuredClone(unsigned);
    none.partners = [none.partners[1]!];
    const checks = await verifyInput(
      { kind: 'statement', statement: await signStatement(exchange, none) },
      ledger.source([exchange, ledgerKey]),
      memory(),
    );
    expect(checks[1]).toMatchObject({ state: 'skipped', key: 'verify.inclusion.none' });
  });
});

describe('the validator: a ledger entry and the heads', () => {
  let ledgerKey: Key;
  let stranger: Key;

  beforeAll(async () => {
    ledgerKey = await generateSigningKey('EdDSA', 'ledger-1');
    stranger = await generateSigningKey('EdDSA', 'ledger-1');
  });

  const grown = async (n: number) => {
    const l = new FakeLedger(ledgerKey);
    for (let i = 0; i < n; i++) l.append(grant(`p${i}`, [`c~${i}`]));
    await l.sign();
    return l;
  };

  it('ticks the head signature, the entry inclusion, and consistency as the ledger grows', async () => {
    const l = await grown(5);
    const seen = memory();
    const entry = { kind: 'entry' as const, seq: 3, entry: l.entries[3]! };
    expect(states(await verifyInput(entry, l.source([ledgerKey]), seen))).toEqual([
      'head:pass:verify.head.pass',
      'inclusion:pass:verify.line.included',
      'consistency:first:verify.consistency.first',
    ]);
    for (let i = 5; i < 13; i++) l.append(grant(`p${i}`, [`c~${i}`]));
    await l.sign('2027-06-02T00:00:00.000Z');
    const checks = await verifyInput(entry, l.source([ledgerKey]), seen);
    expect(checks[2]).toMatchObject({
      state: 'pass',
      key: 'verify.consistency.pass',
      values: { before: 5, size: 13 },
    });
    expect(seen.get(l.origin)?.treeSize).toBe(13);
  });

  it('fails the inclusion of an entry with one byte changed, with the proof’s reason', async () => {
    const l = await grown(6);
    const text = l.entries[2]!.replace('designated', 'designatee');
    const checks = await verifyInput({ kind: 'entry', seq: 2, entry: text }, l.source([ledgerKey]), memory());
    expect(checks[1]).toMatchObject({
      id: 'inclusion',
      state: 'fail',
      key: 'verify.reason.notIncluded',
      values: { seq: 2, reason: 'the proof does not lead to the root hash' },
    });
    const spaced = ` ${l.entries[2]!}`;
    expect(
      (await verifyInput({ kind: 'entry', seq: 2, entry: spaced }, l.source([ledgerKey]), memory()))[1],
    ).toMatchObject({
      key: 'verify.reason.notCanonical',
    });
    expect(
      (
        await verifyInput({ kind: 'entry', seq: 1, entry: l.entries[2]! }, l.source([ledgerKey]), memory())
      )[1],
    ).toMatchObject({
      key: 'verify.reason.seq',
    });
  });

  it('fails a head another key signed, and then compares nothing', async () => {
    const l = await grown(3);
    await l.sign('2027-06-01T00:00:00.000Z', stranger);
    const checks = await verifyInput(
      { kind: 'entry', seq: 0, entry: l.entries[0]! },
      l.source([ledgerKey]),
      memory(),
    );
    expect(states(checks)).toEqual([
      'head:fail:verify.reason.headSignature',
      'inclusion:skipped:verify.inclusion.skipped',
      'consistency:skipped:verify.consistency.skipped',
    ]);
    await l.sign();
    const altered = { ...l.head, treeSize: 2 };
    l.head = altered;
    expect(
      (
        await verifyInput({ kind: 'entry', seq: 0, entry: l.entries[0]! }, l.source([ledgerKey]), memory())
      )[0],
    ).toMatchObject({
      key: 'verify.reason.headField',
      values: { field: 'treeSize' },
    });
  });

  it('fails a head that does not extend the one remembered: another root, a smaller tree, a bad proof', async () => {
    const l = await grown(8);
    const input = { kind: 'entry' as const, seq: 0, entry: l.entries[0]! };
    const other = toBase64(new Uint8Array(32).fill(7));
    const at = (treeSize: number, rootHash: string) => {
      const m = memory();
      m.set(l.origin, { treeSize, rootHash, timestamp: '2027-05-01T00:00:00.000Z' });
      return m;
    };
    expect((await verifyInput(input, l.source([ledgerKey]), at(8, other)))[2]).toMatchObject({
      state: 'fail',
      key: 'verify.reason.fork',
    });
    expect((await verifyInput(input, l.source([ledgerKey]), at(9, other)))[2]).toMatchObject({
      state: 'fail',
      key: 'verify.reason.shrank',
    });
    const remembered = at(5, other);
    const checks = await verifyInput(input, l.source([ledgerKey]), remembered);
    expect(checks[2]).toMatchObject({
      state: 'fail',
      key: 'verify.reason.inconsistent',
      values: { before: 5 },
    });
    // What failed is not remembered: the next visit compares with the old head again.
    expect(remembered.get(l.origin)?.rootHash).toBe(other);
    l.lie.consistency = [];
    const real = at(5, b64(await rootAt(l.tree.read, 5)));
    expect((await verifyInput(input, l.source([ledgerKey]), real))[2]).toMatchObject({
      key: 'verify.reason.inconsistent',
      values: { reason: 'the proof is empty' },
    });
  });

  it('says which check could not reach the exchange', async () => {
    const l = await grown(2);
    const source = { ...l.source([ledgerKey]), jwks: async () => Promise.reject(new Error('offline')) };
    const checks = await verifyInput({ kind: 'entry', seq: 0, entry: l.entries[0]! }, source, memory());
    expect(checks[0]).toMatchObject({
      id: 'head',
      state: 'fail',
      key: 'verify.reason.unreachable',
      values: { detail: 'offline' },
    });
  });
});

describe('the validator: files and encodings', () => {
  it('reads a statement as JSON or as its printable page, and an entry as served or as content', () => {
    const statement = JSON.stringify(unsigned);
    expect(readVerifyFile(statement)).toMatchObject({ kind: 'statement' });
    expect(
      readVerifyFile(`<html><script type="application/json" id="pdx-statement">${statement}</script></html>`),
    ).toMatchObject({ kind: 'statement', statement: { buyerId: 'globex' } });
    const entry = canonical({ ...grant('acme', ['c~1']), seq: 4 });
    expect(readVerifyFile(JSON.stringify({ seq: 4, entry, leafHash: 'x' }))).toEqual({
      kind: 'entry',
      seq: 4,
      entry,
    });
    expect(readVerifyFile(JSON.stringify(JSON.parse(entry), null, 2))).toEqual({
      kind: 'entry',
      seq: 4,
      entry,
    });
  });

  it('refuses what is none of these, saying what it is not', () => {
    const code = (text: string) => {
      try {
        readVerifyFile(text);
        return undefined;
      } catch (error) {
        return (error as ConsoleError).key;
      }
    };
    expect(code('not json')).toBe('verify.file.json');
    expect(code('<script type="application/json" id="pdx-statement">{oops</script>')).toBe(
      'verify.file.page',
    );
    expect(code('[1]')).toBe('verify.file.unknown');
    expect(code('{"kty":"OKP"}')).toBe('verify.file.unknown');
  });

  it('decodes base64 and base64url exactly, refusing other spellings', () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 252, 253]);
    for (let n = 0; n <= bytes.length; n++) {
      const slice = bytes.slice(0, n);
      expect(toBase64(slice)).toBe(Buffer.from(slice).toString('base64'));
      expect(fromBase64(Buffer.from(slice).toString('base64'))).toEqual(slice);
      expect(fromBase64url(Buffer.from(slice).toString('base64url'))).toEqual(slice);
    }
    expect(fromBase64('AB==')).toBeUndefined();
    expect(fromBase64('AAE')).toBeUndefined();
    expect(fromBase64url('AA+')).toBeUndefined();
  });
});

describe('the validator: its calls to the exchange', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends no token with nobody signed in, and the session’s token otherwise', async () => {
    const seen: { url: string; authorization: string | null }[] = [];
    vi.stubGlobal('location', { origin: 'https://exchange.example' });
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), authorization: new Headers(init.headers).get('authorization') });
      return new Response(JSON.stringify({ first: 2, second: 5, proof: [] }), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    });
    await apiSource(anonymous).consistency(2, 5);
    await apiSource({ token: async () => 'tok', renew: async () => {} }).consistency(2, 5);
    expect(seen).toEqual([
      { url: 'https://exchange.example/v1/ledger/proofs/consistency?first=2&second=5', authorization: null },
      {
        url: 'https://exchange.example/v1/ledger/proofs/consistency?first=2&second=5',
        authorization: 'Bearer tok',
      },
    ]);
  });
});
