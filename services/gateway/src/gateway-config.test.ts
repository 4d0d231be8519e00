import { describe, expect, it } from 'vitest';
import { readGatewayConfig } from './gateway-config.js';

const upstreams = {
  PDX_INTAKE_URL: 'http://intake:8080',
  PDX_DIRECTORY_URL: 'http://directory:8080/',
  PDX_ALERTS_URL: 'http://alerts:8080',
  PDX_REVIEW_URL: 'https://review.internal',
  PDX_LEDGER_URL: 'http://ledger:8080',
};

function refusal(env: Record<string, string>): { code?: string; message: string } {
  try {
    readGatewayConfig(env);
  } catch (error) {
    return error as { code?: string; message: string };
  }
  throw new Error('accepted');
}

describe('readGatewayConfig', () => {
  it('reads every service URL as its origin, and the defaults', () => {
    const config = readGatewayConfig(upstreams);
    expect(config.upstreams).toEqual({
      intake: 'http://intake:8080',
      directory: 'http://directory:8080',
      alerts: 'http://alerts:8080',
      review: 'https://review.internal',
      ledger: 'http://ledger:8080',
    });
    expect(config).toMatchObject({
      port: 8080,
      timeoutMs: 30_000,
      bodyLimit: 1_048_576,
      jwksRefreshMs: 60_000,
    });
  });

  it('names every missing service URL at once', () => {
    const { PDX_DIRECTORY_URL: _s, PDX_LEDGER_URL: _l, ...rest } = upstreams;
    const error = refusal(rest);
    expect(error.code).toBe('PDX_CONFIG_INVALID');
    expect(error.message).toBe(
      'the gateway needs the URL of every service: set PDX_DIRECTORY_URL, PDX_LEDGER_URL (e.g. http://directory:8080)',
    );
  });

  it.each([
    ['intake 8080', 'PDX_INTAKE_URL must be an absolute URL such as http://intake:8080, got "intake 8080"'],
    ['intake:8080', 'PDX_INTAKE_URL must be an http:// or https:// URL, got "intake:8080"'],
    ['ftp://intake', 'PDX_INTAKE_URL must be an http:// or https:// URL, got "ftp://intake"'],
    ['http://u:p@intake', 'PDX_INTAKE_URL must be a URL without credentials, got "http://u:p@intake"'],
    [
      'http://intake:8080/api',
      'PDX_INTAKE_URL must be the service origin only (no path, query or fragment), got "http://intake:8080/api"',
    ],
  ])('refuses PDX_INTAKE_URL=%s', (value, message) => {
    const error = refusal({ ...upstreams, PDX_INTAKE_URL: value });
    expect(error.code).toBe('PDX_CONFIG_INVALID');
    expect(error.message).toBe(message);
  });

  it('refuses a timeout out of range', () => {
    expect(refusal({ ...upstreams, PDX_GATEWAY_TIMEOUT_MS: '5' }).message).toBe(
      'PDX_GATEWAY_TIMEOUT_MS must be between 100 and 600000, got 5',
    );
  });
});
