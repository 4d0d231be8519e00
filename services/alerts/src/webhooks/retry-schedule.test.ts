import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY_SCHEDULE, jittered, parseRetrySchedule, retryAfterMs } from './retry-schedule.js';

const H = 3_600_000;
const codeOf = (text: string) => {
  try {
    parseRetrySchedule(text);
    return 'ok';
  } catch (error) {
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  }
};

describe('webhook retry schedule', () => {
  it('by default retries for about three days, as the Standard Webhooks example schedule does', () => {
    const steps = parseRetrySchedule(DEFAULT_RETRY_SCHEDULE);
    expect(steps.slice(0, 5)).toEqual([5_000, 300_000, 1_800_000, 2 * H, 5 * H]);
    expect(steps).toHaveLength(11); // 12 attempts
    const total = steps.reduce((a, b) => a + b, 0);
    expect(total).toBe(67 * H + 35 * 60_000 + 5_000);
    // Even with every step at the low end of its jitter, a receiver down for 2 days still gets it.
    expect(total * 0.8).toBeGreaterThan(48 * H);
  });

  it('reads ms, s, m, h and d, with spaces around the commas', () => {
    expect(parseRetrySchedule('50ms, 2s ,1m,1h,1d')).toEqual([50, 2_000, 60_000, H, 24 * H]);
  });

  it('refuses anything else with PDX_CONFIG_INVALID naming the setting', () => {
    for (const bad of ['', '5', '5 s', '-5s', '1.5h', '5x', '5s,,5m', '1ms', '8d', '5s;5m']) {
      expect(codeOf(bad), bad).toMatch(/^PDX_CONFIG_INVALID: PDX_WEBHOOK_RETRY_SCHEDULE /);
    }
    expect(codeOf(Array(51).fill('1s').join(','))).toMatch(/^PDX_CONFIG_INVALID: .*at most 50/);
    expect(codeOf('10ms,7d')).toBe('ok');
  });

  it('spreads each delay uniformly over ± the jitter', () => {
    expect(jittered(10 * H, 20, () => 0)).toBe(8 * H);
    expect(jittered(10 * H, 20, () => 0.5)).toBe(10 * H);
    expect(jittered(10 * H, 20, () => 0.999_999)).toBeLessThanOrEqual(12 * H);
    expect(jittered(10 * H, 0, Math.random)).toBe(10 * H);
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores what is neither', () => {
    const now = Date.parse('2027-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Fri, 01 Jan 2027 00:10:00 GMT', now)).toBe(600_000);
    expect(retryAfterMs('Thu, 31 Dec 2026 23:00:00 GMT', now)).toBe(0);
    for (const bad of [null, undefined, '', 'soon', '-5', '1.5', '2027-01-01T00:10:00Z']) {
      expect(retryAfterMs(bad, now), String(bad)).toBeUndefined();
    }
  });
});
