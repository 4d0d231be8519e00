import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64url, canonicalJson, contentHash, sha256Hex } from './content-hash.js';
import { deterministicEventId } from './ids.js';

describe('content hashes', () => {
  it.each([
    // FIPS 180-2 / RFC 6234 test vectors.
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('SHA-256 of %j is %s', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex);
  });

  it.each([
    [[], ''],
    [[0xf8], '-A'],
    [[0xfb, 0xff], '-_8'],
    [[0x66, 0x6f, 0x6f, 0x62, 0x61, 0x72], 'Zm9vYmFy'],
  ])('base64url of %j is %j (RFC 4648 §10, URL alphabet, no padding)', (bytes, text) => {
    expect(base64url(Uint8Array.from(bytes))).toBe(text);
  });

  it('base64url agrees with the platform encoder on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        expect(base64url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
    );
  });

  it('contentHash is the SHA-256 (base64url) of the RFC 8785 form: key order does not matter', () => {
    const value = { b: [1, 'ü', null], a: { y: true, x: 1.5 } };
    expect(contentHash(value)).toBe(createHash('sha256').update(canonicalJson(value)).digest('base64url'));
    expect(contentHash(value)).toBe(contentHash({ a: { x: 1.5, y: true }, b: [1, 'ü', null] }));
    expect(contentHash(value)).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('deterministicEventId keeps its ids: the first 128 bits of SHA-256 in UUID form', () => {
    const h = createHash('sha256').update('a\u0000b').digest('hex');
    expect(deterministicEventId('a', 'b')).toBe(
      `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`,
    );
  });
});
