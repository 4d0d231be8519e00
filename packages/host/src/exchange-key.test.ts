import { generateSigningKey } from '@pdx/crypto';
import { ConfigReader, silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { exchangeKeyOnce } from './exchange-key.js';

describe('exchangeKeyOnce: the one exchange key of a process', () => {
  it('loads the key on first use and hands every later caller the same one', async () => {
    const { privateJwk } = await generateSigningKey('EdDSA', 'exchange-1');
    const config = new ConfigReader({ PDX_EXCHANGE_KEY: JSON.stringify(privateJwk) });
    const key = exchangeKeyOnce(config, 'production', '/nonexistent', silentLogger());
    const first = await key();
    expect(first.publicJwk).toMatchObject({ kid: 'exchange-1', kty: 'OKP', crv: 'Ed25519' });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(first.signer).toMatchObject({ kid: 'exchange-1', alg: 'EdDSA' });
    expect(await key()).toBe(first);
  });

  it('refuses, when used, a production process that has no exchange key, saying what to set', async () => {
    const key = exchangeKeyOnce(new ConfigReader({}), 'production', '/nonexistent', silentLogger());
    await expect(key()).rejects.toThrow(/^set PDX_EXCHANGE_KEY_FILE \(or PDX_EXCHANGE_KEY\): /);
  });
});
