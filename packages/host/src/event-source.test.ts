import { ConfigReader, RuntimeError } from '@pdx/runtime';
import { describe, expect, it } from 'vitest';
import { eventSource } from './event-source.js';

const source = (env: Record<string, string>, service = 'intake') =>
  eventSource(new ConfigReader(env), service);

describe('eventSource', () => {
  it('defaults to urn:pdx:<exchange id>:<service>', () => {
    expect(source({})).toBe('urn:pdx:pdx:intake');
    expect(source({ PDX_EXCHANGE_ID: 'exchange.example.com' }, 'review')).toBe(
      'urn:pdx:exchange.example.com:review',
    );
    // An exchange id with characters a URI may not hold is percent-encoded, not refused.
    expect(source({ PDX_EXCHANGE_ID: 'acme exchange/eu' })).toBe('urn:pdx:acme%20exchange%2Feu:intake');
  });

  it('takes PDX_EVENT_SOURCE, with {service} replaced', () => {
    expect(source({ PDX_EVENT_SOURCE: 'https://exchange.example.com/events/{service}' })).toBe(
      'https://exchange.example.com/events/intake',
    );
    expect(source({ PDX_EVENT_SOURCE: 'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66' })).toBe(
      'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    );
  });

  it.each(['/pdx/{service}', 'intake', 'https://exchange.example.com/#{service}', 'urn:pdx:{service} eu'])(
    'refuses PDX_EVENT_SOURCE=%s with PDX_CONFIG_INVALID naming the variable',
    (value) => {
      const error = (() => {
        try {
          source({ PDX_EVENT_SOURCE: value });
        } catch (e) {
          return e;
        }
      })();
      expect(error).toBeInstanceOf(RuntimeError);
      expect(error).toMatchObject({
        code: 'PDX_CONFIG_INVALID',
        message: expect.stringContaining('PDX_EVENT_SOURCE'),
      });
    },
  );
});
