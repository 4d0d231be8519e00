/** The only source of time in pdx. Production uses the system clock; tests control it. */
export interface Clock {
  /** Current time in milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to; for tests of schedules and windows. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | string | Date = 0) {
    this.#now = typeof start === 'number' ? start : new Date(start).getTime();
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    if (ms < 0) throw new TypeError('a clock does not go backwards');
    this.#now += ms;
  }
  set(to: number | string | Date): void {
    this.#now = typeof to === 'number' ? to : new Date(to).getTime();
  }
}

export function isoNow(clock: Clock): string {
  return new Date(clock.now()).toISOString();
}
