import { type Logger, PeriodicTask } from '@pdx/runtime';
import { type EvaluationDeps, evaluatePair } from './evaluate-pair.js';

/**
 * Re-evaluates the pairs whose decision changes by itself (a certificate's validUntil, a
 * declaration's end, a review falling due) once that moment has passed, by the injected
 * clock; also after downtime, since it looks at everything already due.
 */
export class StatusClock {
  readonly #deps: EvaluationDeps;
  readonly #task: PeriodicTask;

  constructor(deps: EvaluationDeps, intervalMs: number, logger: Logger) {
    this.#deps = deps;
    this.#task = new PeriodicTask('status re-evaluation', () => this.scan(), intervalMs, logger);
  }

  start(): void {
    this.#task.start();
  }

  async stop(): Promise<void> {
    await this.#task.stop();
  }

  /** Re-evaluates every pair due now; returns how many changed. */
  async scan(): Promise<number> {
    const d = this.#deps;
    const now = d.clock.now();
    let changed = 0;
    const seen = new Set<string>();
    for (;;) {
      const page = await d.statuses.find(
        { scheduled: true },
        { sort: { field: 'nextChangeMs', order: 1 }, limit: 200 },
      );
      const due = page.filter((r) => r.nextChangeMs <= now && !seen.has(r.id));
      for (const r of due) {
        seen.add(r.id);
        if (
          (await evaluatePair(d, { buyerId: r.buyerId, partnerId: r.partnerId }, { kind: 'time' })) ===
          'changed'
        )
          changed++;
      }
      if (due.length === 0 || page.length < 200) return changed;
    }
  }
}
