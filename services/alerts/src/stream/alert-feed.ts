import { EventEmitter } from 'node:events';
import type { Clock } from '@pdx/runtime';
import type { AlertDoc } from '../alert-records.js';

/** What the fan-out tells the feed: an alert is about to be written, and its write ended. */
export interface AlertFeedWriter {
  /**
   * The creation time (`createdMs`) of an alert about to be written: never earlier than one
   * handed out before (the wall clock may step back), and held open until `close`, so that
   * no stream reads past it while it is not stored yet.
   */
  open(): number;
  /** The write opened at `createdMs` ended — stored, found already there, or failed; `alert` when new. */
  close(createdMs: number, alert?: AlertDoc): void;
}

/**
 * Where the live streams of one process learn of new alerts and how far they may read.
 *
 * A stream sends alerts in the order of their position (createdMs, alertId) and resumes after
 * a position, so it must never pass an alert that is not stored yet and will be stored with an
 * earlier position: it would never be sent. Within this process the feed knows which alerts
 * are being written (`open` … `close`) and their times never decrease, so the horizon —
 * before every open write and before the current millisecond — is exact. Alerts of other
 * replicas are only visible once stored; `settleMs` keeps the horizon that far behind the
 * clock, so an alert another replica stored up to `settleMs` late (a slow write, a clock a
 * little behind) still comes in its place.
 */
export class AlertFeed implements AlertFeedWriter {
  readonly #clock: Clock;
  readonly #settleMs: number;
  /** createdMs → how many alerts are being written with it. */
  readonly #open = new Map<number, number>();
  readonly #events = new EventEmitter();
  #last = Number.NEGATIVE_INFINITY;

  constructor(clock: Clock, settleMs: number) {
    if (!Number.isInteger(settleMs) || settleMs < 0) throw new TypeError('settleMs is a whole number ≥ 0');
    this.#clock = clock;
    this.#settleMs = settleMs;
    this.#events.setMaxListeners(0);
  }

  open(): number {
    const createdMs = this.#now();
    this.#last = createdMs;
    this.#open.set(createdMs, (this.#open.get(createdMs) ?? 0) + 1);
    return createdMs;
  }

  close(createdMs: number, alert?: AlertDoc): void {
    const n = this.#open.get(createdMs);
    if (n === undefined) throw new TypeError(`no alert write is open at ${createdMs}`);
    if (n === 1) this.#open.delete(createdMs);
    else this.#open.set(createdMs, n - 1);
    this.#events.emit('change', alert);
  }

  /**
   * The latest createdMs a stream may send now: every alert at or before it is stored, or will
   * not be stored here. Read it before the query whose results it bounds.
   */
  horizon(): number {
    // A write opened from now on gets a createdMs of at least #now(): keep one millisecond back.
    let horizon = this.#now() - Math.max(1, this.#settleMs);
    for (const ms of this.#open.keys()) horizon = Math.min(horizon, ms - 1);
    return horizon;
  }

  /** Calls `listener` after every write ends (with the alert when it is new); returns how to stop. */
  onChange(listener: (alert?: AlertDoc) => void): () => void {
    this.#events.on('change', listener);
    return () => this.#events.off('change', listener);
  }

  #now(): number {
    return Math.max(this.#clock.now(), this.#last);
  }
}
