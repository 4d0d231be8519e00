import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkpointText, signNote } from './note.js';
import { type TreeHeadInput, type TreeHeadKey, type TreeHeadOptions, verifyTreeHead } from './tree-head.js';
import { TREE_HEAD_TYP, type TreeHead } from './tree-head-format.js';

const ORIGIN = 'test.pdx/exemption-ledger';
const ROOT = Buffer.alloc(32, 7);
const OTHER_ROOT = Buffer.alloc(32, 9);

function ledgerKey(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, jwk: { ...(publicKey.export({ format: 'jwk' }) as TreeHeadKey), kid } };
}
const key = ledgerKey('ledger-1');
const stranger = ledgerKey('ledger-1');
const second = ledgerKey('ledger-2');

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
/** A compact JWS signed with node:crypto, so that each header and payload can be made wrong. */
function jws(
  payload: string,
  header: Record<string, unknown>,
  privateKey: KeyObject = key.privateKey,
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  return `${input}.${sign(null, Buffer.from(input), privateKey).toString('base64url')}`;
}
const header = { alg: 'EdDSA', typ: TREE_HEAD_TYP, kid: 'ledger-1' };
const signedHead: TreeHead = {
  origin: ORIGIN,
  treeSize: 10,
  rootHash: ROOT.toString('base64'),
  timestamp: '2027-01-01T00:00:00.000Z',
};
// The canonical JSON (RFC 8785) of the head: its members in code-point order.
const payload = (h: Record<string, unknown>) =>
  JSON.stringify(Object.fromEntries(Object.entries(h).sort(([a], [b]) => (a < b ? -1 : 1))));
const checkpoint = (size = 10, root = ROOT, name = ORIGIN, privateKey = key.privateKey) =>
  signNote(checkpointText({ origin: name, size, rootHash: root }), name, privateKey);
const served = (overrides: Partial<TreeHeadInput> = {}): TreeHeadInput => ({
  ...signedHead,
  jws: jws(payload({ ...signedHead }), header),
  checkpoint: checkpoint(),
  ...overrides,
});

describe('verifyTreeHead', () => {
  it('returns the signed head and its kid when every step passes', () => {
    expect(verifyTreeHead(served(), [key.jwk])).toEqual({ ok: true, head: signedHead, kid: 'ledger-1' });
    // A JWS alone (no stated fields, no checkpoint) is a head too, unless a checkpoint is required.
    expect(verifyTreeHead({ jws: served().jws }, [second.jwk, key.jwk])).toMatchObject({ ok: true });
  });

  it.each<{
    given: string;
    input: TreeHeadInput;
    keys?: TreeHeadKey[];
    options?: TreeHeadOptions;
    step: string;
    reason: RegExp;
    field?: string;
  }>([
    { given: 'not three parts', input: served({ jws: 'a.b' }), step: 'format', reason: /compact/ },
    {
      given: 'a header that is not JSON',
      input: served({ jws: `${b64url('{')}.${b64url('{}')}.AA` }),
      step: 'format',
      reason: /not JSON/,
    },
    {
      given: 'a header that is not an object',
      input: served({ jws: `${b64url('[1]')}.${b64url('{}')}.AA` }),
      step: 'format',
      reason: /object/,
    },
    {
      given: 'a kid among several keys that is none of them',
      input: served(),
      keys: [second.jwk, { ...stranger.jwk, kid: 'ledger-3' }],
      step: 'key',
      reason: /^no key ledger-1 among the ledger keys given$/,
    },
    {
      given: 'a signature by another key',
      input: served(),
      keys: [stranger.jwk],
      step: 'signature',
      reason: /^signature verification failed$/,
    },
    {
      given: 'a payload changed after signing',
      input: served({
        jws: `${served().jws.split('.')[0]}.${b64url(payload({ ...signedHead, treeSize: 11 }))}.${served().jws.split('.')[2]}`,
      }),
      step: 'signature',
      reason: /verification failed/,
    },
    {
      given: 'another typ (a JWS of another kind)',
      input: served({ jws: jws(payload({ ...signedHead }), { ...header, typ: 'pdx-statement+jws' }) }),
      step: 'signature',
      reason: /^typ is pdx-statement\+jws$/,
    },
    {
      given: 'alg none',
      input: served({ jws: jws(payload({ ...signedHead }), { ...header, alg: 'none' }) }),
      step: 'signature',
      reason: /not EdDSA/,
    },
    {
      given: 'a critical extension',
      input: served({ jws: jws(payload({ ...signedHead }), { ...header, crit: ['b64'], b64: false }) }),
      step: 'signature',
      reason: /crit/,
    },
    {
      given: 'a key that is not Ed25519',
      input: served(),
      keys: [{ kty: 'EC', crv: 'P-256', x: 'AA', kid: 'ledger-1' }],
      step: 'signature',
      reason: /not an Ed25519 key/,
    },
    {
      given: 'a signed payload without a root',
      input: served({
        jws: jws(payload({ origin: ORIGIN, treeSize: 10 }), header),
        rootHash: undefined,
        checkpoint: undefined,
      }),
      step: 'payload',
      reason: /lacks origin, treeSize or rootHash/,
    },
    {
      given: 'a stated root that is not the signed one',
      input: served({ rootHash: OTHER_ROOT.toString('base64') }),
      step: 'claim',
      reason: /^the head's rootHash is not what its signature covers$/,
      field: 'rootHash',
    },
    {
      given: 'a stated timestamp that is not the signed one',
      input: served({ timestamp: '2027-01-02T00:00:00.000Z' }),
      step: 'claim',
      reason: /timestamp/,
      field: 'timestamp',
    },
    {
      given: 'no checkpoint where one is required',
      input: served({ checkpoint: undefined }),
      options: { checkpoint: 'required' },
      step: 'checkpoint',
      reason: /no checkpoint/,
    },
    {
      given: 'a checkpoint by another key',
      input: served({ checkpoint: checkpoint(10, ROOT, ORIGIN, stranger.privateKey) }),
      step: 'checkpoint',
      reason: /carries no signature by test\.pdx\/exemption-ledger/,
    },
    {
      given: 'a checkpoint under another origin than required',
      input: served(),
      options: { origin: 'elsewhere/ledger' },
      step: 'checkpoint',
      reason: /no signature by elsewhere\/ledger/,
    },
    {
      given: 'a checkpoint of another size',
      input: served({ checkpoint: checkpoint(9) }),
      step: 'checkpoint-mismatch',
      reason: /another size or root/,
    },
    {
      given: 'a checkpoint of another root',
      input: served({ checkpoint: checkpoint(10, OTHER_ROOT) }),
      step: 'checkpoint-mismatch',
      reason: /another size or root/,
    },
  ])('refuses $given at step $step', ({ input, keys, options, step, reason, field }) => {
    const verdict = verifyTreeHead(input, keys ?? [key.jwk], options);
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.step).toBe(step);
    expect(verdict.reason).toMatch(reason);
    expect(verdict.field).toBe(field);
  });
});
