import { RuntimeError } from '@pdx/runtime';

/**
 * The delays between attempts of a webhook delivery when the receiver does not take it: over
 * days, backing off, as the Standard Webhooks specification recommends ("Deliverability and
 * reliability"; its example begins 5 s, 5 min, 30 min, 2 h, 5 h, 10 h), then every 10 hours
 * until about three days have passed — long enough to outlast a receiver's weekend outage or
 * a slow deploy. Twelve attempts; the last 67 h 35 min after the first (before jitter).
 */
export const DEFAULT_RETRY_SCHEDULE = '5s,5m,30m,2h,5h,10h,10h,10h,10h,10h,10h';

/** Default spread of each delay: ± this percentage, so deliveries that failed together do not come back together. */
export const DEFAULT_RETRY_JITTER_PERCENT = 20;

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const MIN_DELAY_MS = 10;
const MAX_DELAY_MS = 7 * unitMs.d;
const MAX_STEPS = 50;

/**
 * Pure: a retry schedule from its text, comma-separated durations (`500ms`, `5s`, `5m`, `2h`,
 * `1d`). Every problem is a PDX_CONFIG_INVALID naming the setting, so a bad value stops the
 * process at start-up instead of retrying on a schedule nobody meant.
 */
export function parseRetrySchedule(text: string, setting = 'PDX_WEBHOOK_RETRY_SCHEDULE'): number[] {
  const invalid = (why: string) =>
    new RuntimeError('PDX_CONFIG_INVALID', `${setting} ${why} (e.g. "${DEFAULT_RETRY_SCHEDULE}")`);
  const steps = text.split(',').map((s) => s.trim());
  if (steps.length > MAX_STEPS) throw invalid(`has ${steps.length} steps; at most ${MAX_STEPS}`);
  return steps.map((step, i) => {
    const match = /^(\d{1,9})(ms|s|m|h|d)$/.exec(step);
    if (!match) {
      throw invalid(`step ${i + 1} is "${step}": each step is a whole number with a unit ms, s, m, h or d`);
    }
    const ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
    if (ms < MIN_DELAY_MS || ms > MAX_DELAY_MS) {
      throw invalid(`step ${i + 1} is "${step}": each step is between ${MIN_DELAY_MS}ms and 7d`);
    }
    return ms;
  });
}

/** Pure: a delay spread uniformly over ± `percent` of itself; `random` in [0, 1). */
export function jittered(delayMs: number, percent: number, random: () => number): number {
  return Math.round(delayMs * (1 + ((2 * random() - 1) * percent) / 100));
}

/**
 * Pure: how long a `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) asks
 * the sender to wait, from `nowMs`; undefined when absent or unreadable (then the schedule
 * alone decides).
 */
export function retryAfterMs(header: string | null | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d{1,10}$/.test(value)) return Number(value) * 1_000;
  // Only the date forms of RFC 9110 (they all name the weekday); Date.parse alone would also
  // take "5" or "tomorrow"-like text that no server meant as a date.
  if (!/^[A-Za-z]{3,9}, /.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
