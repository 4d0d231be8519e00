import { describe, expect, it } from 'vitest';
import { checkWebhookUrl, isPrivateAddress, type WebhookTargetPolicy } from './webhook-target.js';

const strict: WebhookTargetPolicy = { allowPrivate: false, allowedHosts: [] };
const code = (url: string, policy = strict) => {
  try {
    checkWebhookUrl(url, policy);
    return 'ok';
  } catch (error) {
    return (error as { code: string }).code;
  }
};

describe('webhook targets', () => {
  it('accepts public http(s) URLs', () => {
    expect(code('https://hooks.example.com/pdx')).toBe('ok');
    expect(code('http://203.0.113.10:8080/x')).toBe('ok');
  });

  it('refuses what is not an http(s) URL, or carries credentials', () => {
    expect(code('ftp://example.com/x')).toBe('PDX_WEBHOOK_URL_INVALID');
    expect(code('javascript:alert(1)')).toBe('PDX_WEBHOOK_URL_INVALID');
    expect(code('/relative')).toBe('PDX_WEBHOOK_URL_INVALID');
    expect(code('https://user:pw@example.com/')).toBe('PDX_WEBHOOK_URL_INVALID');
  });

  it('refuses the exchange’s own network unless configured otherwise', () => {
    for (const url of [
      'http://localhost:8080/',
      'http://api.localhost/',
      'http://127.0.0.1/',
      'http://10.1.2.3/',
      'http://172.20.0.1/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[fd00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://[::ffff:a9fe:a9fe]/',
      'http://[64:ff9b::10.0.0.1]/',
      'http://[::]/',
      'http://0.0.0.0/',
    ]) {
      expect(code(url), url).toBe('PDX_WEBHOOK_TARGET_FORBIDDEN');
    }
    expect(code('http://127.0.0.1:9999/', { allowPrivate: true, allowedHosts: [] })).toBe('ok');
  });

  it('limits targets to an allow-list when one is configured', () => {
    const policy = { allowPrivate: false, allowedHosts: ['hooks.example.com'] };
    expect(code('https://hooks.example.com/a', policy)).toBe('ok');
    expect(code('https://evil.example.net/a', policy)).toBe('PDX_WEBHOOK_TARGET_FORBIDDEN');
  });

  it('classifies addresses', () => {
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('172.32.0.1')).toBe(false);
    expect(isPrivateAddress('172.31.255.255')).toBe(true);
    expect(isPrivateAddress('2001:db8::1')).toBe(false);
    expect(isPrivateAddress('fe80::1')).toBe(true);
    expect(isPrivateAddress('::ffff:8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700::1111')).toBe(false);
  });
});
