import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { isEd25519, standardWebhookHeaders, standardWebhookSigner } from './standard-webhooks.js';

const vector = JSON.parse(
  readFileSync(new URL('../../test-fixtures/standard-webhooks-v1a.json', import.meta.url), 'utf8'),
) as { seed: string; msgId: string; timestamp: number; payload: string; signature: string };

/** The Ed25519 key of a 32-byte seed, as a JWK (PKCS #8 prefix of RFC 8410 + the seed). */
function jwkOfSeed(seed: Buffer, kid: string): PrivateJwk {
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const jwk = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' });
  return { ...jwk, kid } as PrivateJwk;
}

describe('Standard Webhooks v1a signatures', () => {
  it('sign as the reference library does (its published vector)', () => {
    const signer = standardWebhookSigner(jwkOfSeed(Buffer.from(vector.seed, 'base64'), 'vector'));
    expect(signer.sign(vector.msgId, vector.timestamp, vector.payload)).toBe(vector.signature);
  });

  it('publish the key as whpk_ + base64 of the raw public key, which verifies the signature', async () => {
    const { privateJwk } = await generateSigningKey('EdDSA', 'exchange-1');
    const signer = standardWebhookSigner(privateJwk);
    expect(signer.kid).toBe('exchange-1');
    expect(signer.publicKey).toMatch(/^whpk_[A-Za-z0-9+/]{43}=$/);
    const raw = Buffer.from(signer.publicKey.slice('whpk_'.length), 'base64');
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
      format: 'jwk',
    });
    const headers = standardWebhookHeaders(signer, 'd-1', 1_800_000_000_999, '{"a":1}');
    expect(headers['webhook-timestamp']).toBe('1800000000');
    const [version, signature] = headers['webhook-signature']!.split(',');
    expect(version).toBe('v1a');
    const content = Buffer.from('d-1.1800000000.{"a":1}');
    expect(verify(null, content, publicKey, Buffer.from(signature!, 'base64'))).toBe(true);
    expect(
      verify(null, Buffer.from('d-1.1800000000.{"a":2}'), publicKey, Buffer.from(signature!, 'base64')),
    ).toBe(false);
  });

  it('refuse keys that are not Ed25519, and ids that would make the signed content ambiguous', async () => {
    const { privateJwk: es256 } = await generateSigningKey('ES256', 'exchange-ec');
    expect(isEd25519(es256)).toBe(false);
    expect(() => standardWebhookSigner(es256)).toThrow(TypeError);
    const { privateJwk } = await generateSigningKey('EdDSA', 'exchange-1');
    expect(() => standardWebhookSigner(privateJwk).sign('a.b', 1, '{}')).toThrow(TypeError);
  });
});
