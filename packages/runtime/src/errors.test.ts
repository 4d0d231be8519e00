import { isRetriable, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { ConfigReader } from './config.js';
import { RuntimeError } from './errors.js';

describe('RuntimeError', () => {
  it('is a PdxError of the one catalog, not retriable', () => {
    const cause = new AggregateError([new Error('a')], 'every attempt failed');
    const error = new RuntimeError('PDX_RETRIES_EXHAUSTED', 'gave up after 4 attempts', { cause });
    expect(error).toBeInstanceOf(PdxError);
    expect(error).toMatchObject({
      name: 'RuntimeError',
      code: 'PDX_RETRIES_EXHAUSTED',
      retriable: false,
      cause,
    });
    expect(isRetriable(error)).toBe(false);
  });

  it('is what a configuration mistake throws, naming the setting', () => {
    const read = () => new ConfigReader({ PORT: 'eighty' }).int('PORT', 8080);
    expect(read).toThrow(RuntimeError);
    expect(read).toThrow(
      expect.objectContaining({ code: 'PDX_CONFIG_INVALID', message: expect.stringMatching(/^PORT /) }),
    );
  });
});
