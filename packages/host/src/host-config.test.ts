import { RuntimeError, silentLogger } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { createHost } from './host.js';

// Refused before anything is opened: a configuration mistake is PDX_CONFIG_INVALID naming
// the setting, never a TypeError (which is for bugs).
describe('createHost refuses a bad configuration with PDX_CONFIG_INVALID', () => {
  it.each([
    [{ KAFKA_BROKERS: 'kafka:9092' }, /KAFKA_BROKERS and MONGODB_URI/],
    [{ MONGODB_URI: 'mongodb://db/pdx' }, /KAFKA_BROKERS and MONGODB_URI/],
    [{ PDX_PUBLIC_URL: 'pdx.example' }, /^PDX_PUBLIC_URL must be an http\(s\) URL/],
    [{ PDX_PUBLIC_URL: 'https://pdx.example/?q=1' }, /^PDX_PUBLIC_URL must be/],
  ])('%j', async (env, message) => {
    const error = await createHost({ name: 'test', services: [], env, logger: silentLogger() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error).toMatchObject({ code: 'PDX_CONFIG_INVALID', message: expect.stringMatching(message) });
  });
});
