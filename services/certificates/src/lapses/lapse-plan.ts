import type { Certificate } from '@pdx/contracts';

const DAY_MS = 86_400_000;

/** A buyer following a certificate's holder (an accepted link), with its alert thresholds. */
export interface Follower {
  buyerId: string;
  thresholdsDays: readonly number[];
}

/**
 * A moment in a certificate's current validity when something is due: a buyer's warning
 * `thresholdDays` before validUntil, or the expiry itself. The key is the idempotency key:
 * one event per certificate validity (validUntil), buyer and threshold, whichever replica
 * publishes it and however often the scan runs.
 */
export type Milestone =
  | { kind: 'expiring'; key: string; dueMs: number; buyerId: string; thresholdDays: number }
  | { kind: 'expired'; key: string; dueMs: number };

/**
 * Pure: every milestone of a certificate's current validity. None for an open-ended
 * certificate, nor for a suspended, withdrawn or already expired one (suspension and
 * withdrawal are alerted as they happen, not scheduled).
 */
export function milestones(certificate: Certificate, followers: readonly Follower[]): Milestone[] {
  if (certificate.validUntil === undefined || certificate.state !== 'active') return [];
  const until = Date.parse(certificate.validUntil);
  const base = `${certificate.certificateId}|${certificate.validUntil}`;
  const out: Milestone[] = [{ kind: 'expired', key: `${base}|expired`, dueMs: until }];
  for (const { buyerId, thresholdsDays } of followers) {
    for (const thresholdDays of thresholdsDays) {
      out.push({
        kind: 'expiring',
        key: `${base}|${buyerId}|${thresholdDays}`,
        dueMs: until - thresholdDays * DAY_MS,
        buyerId,
        thresholdDays,
      });
    }
  }
  return out;
}

export interface LapsePlan {
  /** Publish these now. */
  emit: Milestone[];
  /** Passed while nobody could warn (downtime, a link accepted late): mark them done silently. */
  skip: Milestone[];
  /** When the next milestone falls due; undefined when nothing is left. */
  nextDueMs: number | undefined;
}

/**
 * Pure: what is due at `now`, given the milestones already done. Alerts come before expiry
 * and never repeat what already lapsed: once the expiry is due, only the expiry is published
 * and the warnings still open are skipped; of a buyer's open warnings that are due, only the
 * most urgent (smallest threshold) is published — after downtime a buyer gets the 7-day
 * warning, not also the 90- and 30-day ones.
 */
export function planLapses(all: readonly Milestone[], done: ReadonlySet<string>, now: number): LapsePlan {
  const open = all.filter((m) => !done.has(m.key));
  const due = open.filter((m) => m.dueMs <= now);
  const future = open.filter((m) => m.dueMs > now);
  const nextDueMs = future.length === 0 ? undefined : Math.min(...future.map((m) => m.dueMs));
  const expiry = due.find((m) => m.kind === 'expired');
  if (expiry) {
    return { emit: [expiry], skip: open.filter((m) => m !== expiry), nextDueMs: undefined };
  }
  const emit: Milestone[] = [];
  const skip: Milestone[] = [];
  const byBuyer = new Map<string, Extract<Milestone, { kind: 'expiring' }>[]>();
  for (const m of due) {
    if (m.kind !== 'expiring') continue;
    byBuyer.set(m.buyerId, [...(byBuyer.get(m.buyerId) ?? []), m]);
  }
  for (const warnings of byBuyer.values()) {
    warnings.sort((a, b) => a.thresholdDays - b.thresholdDays);
    emit.push(warnings[0]!);
    skip.push(...warnings.slice(1));
  }
  return { emit, skip, nextDueMs };
}

/** The earliest milestone, due or not: where a changed certificate is evaluated next. */
export function earliestDue(all: readonly Milestone[]): number | undefined {
  return all.length === 0 ? undefined : Math.min(...all.map((m) => m.dueMs));
}
