import { isoNow, type Logger } from '@pdx/runtime';
import { type Collection, flushOutboxes } from '@pdx/store';
import type { RulesReviewDoc, StatusRecord } from '../facts/fact-docs.js';
import { type EvaluationDeps, evaluatePair } from './evaluate-pair.js';
import { rulesInForce, rulesOf, sameRules } from './pair-decisions.js';

export interface RulesReviewResult {
  /** Linked pairs looked at. */
  examined: number;
  /** Of those, decided under other rules and evaluated again. */
  redecided: number;
  /** Of those, whose decision changed (published with cause `rules-changed`). */
  changed: number;
}

export interface RulesChangeOptions {
  /** Decisions read per page (the pass never holds more of them in memory). */
  pageSize?: number;
  /**
   * Pairs of a page evaluated at once: their writes share the store's group commits (one
   * fsync for several pairs on the embedded store), which is most of the time a pair takes.
   */
  concurrency?: number;
  /** After a failed pass (the store or the log unavailable), the next try waits this long. */
  retryMs: number;
}

/**
 * At start-up, decides again every linked pair whose decision in force was made under other
 * rules — another scheme catalogue or rules engine version — so that corrected rules reach
 * decisions already made (an exemption granted on a scheme that no longer grounds one ends
 * now, not when some later event happens to touch the pair). Each change is published with
 * cause `rules-changed` (the previous and the new versions); a decision the new rules leave
 * as it was is only stamped with them, with no event.
 *
 * It runs in the background: the service starts, consumes and answers meanwhile (a pair an
 * event evaluates first is stamped then, and skipped here). It reads the decisions a page at
 * a time and evaluates a few pairs of the page at once. Several replicas may run it at once: each pair is changed by compare-and-set, with
 * event ids derived from the pair and its version, so a replica that loses the race finds
 * the pair stamped and does nothing. A second start finds every decision stamped (two
 * counts) and does nothing. A failed pass is tried again, after publishing what it left
 * pending, until one completes or the service stops; each completed pass is recorded
 * (`rules_reviews`), and logged.
 */
export class RulesChangeReview {
  readonly #deps: EvaluationDeps;
  readonly #runs: Collection<RulesReviewDoc>;
  readonly #logger: Logger;
  readonly #pageSize: number;
  readonly #retryMs: number;
  readonly #concurrency: number;
  #stopped = false;
  #running: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #wake: (() => void) | undefined;

  constructor(
    deps: EvaluationDeps,
    runs: Collection<RulesReviewDoc>,
    options: RulesChangeOptions,
    logger: Logger,
  ) {
    this.#deps = deps;
    this.#runs = runs;
    this.#pageSize = options.pageSize ?? 200;
    this.#retryMs = options.retryMs;
    this.#concurrency = options.concurrency ?? 8;
    this.#logger = logger;
  }

  /** Starts the pass in the background and returns at once (start-up does not wait for it). */
  start(): void {
    this.#stopped = false;
    this.#running = this.#untilDone();
  }

  /** Stops after the pair in hand; resolves once the pass has let go of the store. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#running;
  }

  async #untilDone(): Promise<void> {
    for (let attempt = 0; !this.#stopped; attempt++) {
      try {
        // A pass that failed on the log left its last changes recorded with their events
        // pending (stamped, so the next pass skips them): they go out first.
        if (attempt > 0) await flushOutboxes(this.#deps, this.#deps.statuses);
        await this.run();
        return;
      } catch (error) {
        this.#logger.warn(
          { err: error },
          'evaluating decisions made under earlier rules failed; trying again',
        );
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
          this.#timer = setTimeout(resolve, this.#retryMs);
        });
      }
    }
  }

  /**
   * One pass over the linked pairs; the counts, or undefined when stopped before the end
   * (the next start takes up what is left, since only decided pairs are stamped).
   */
  async run(): Promise<RulesReviewResult | undefined> {
    const d = this.#deps;
    const rules = rulesInForce(d.catalogues);
    const startedAt = isoNow(d.clock);
    const result: RulesReviewResult = { examined: 0, redecided: 0, changed: 0 };
    const linked = await d.statuses.count({ linked: true });
    const current = await d.statuses.count({
      linked: true,
      rulesEngineVersion: rules.engineVersion,
      'decision.catalogueVersion': rules.catalogueVersion,
    });
    let after: { value: string; id: string } | undefined;
    while (current < linked) {
      const page: StatusRecord[] = await d.statuses.find(
        { linked: true },
        { sort: { field: 'id', order: 1 }, limit: this.#pageSize, ...(after ? { after } : {}) },
      );
      result.examined += page.length;
      const outdated = page.filter((record) => !sameRules(rulesOf(record), rules));
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < outdated.length && !this.#stopped; i = next++) {
          const record = outdated[i]!;
          result.redecided++;
          const outcome = await evaluatePair(
            d,
            { buyerId: record.buyerId, partnerId: record.partnerId },
            // As the pair is when it is decided: decided meanwhile under these rules, it is done.
            (now) =>
              now?.linked && !sameRules(rulesOf(now), rules)
                ? { kind: 'rules-changed', previousRules: rulesOf(now), rules }
                : undefined,
          );
          if (outcome === 'changed') result.changed++;
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.#concurrency, outdated.length) }, worker));
      if (this.#stopped) return undefined;
      const last = page.at(-1);
      if (page.length < this.#pageSize || last === undefined) break;
      after = { value: last.id, id: last.id };
    }
    await this.#runs.put({
      id: `catalogue-${rules.catalogueVersion}.engine-${rules.engineVersion}`,
      rules,
      startedAt,
      completedAt: isoNow(d.clock),
      ...result,
    });
    if (result.redecided > 0) {
      this.#logger.info({ rules, ...result }, 'decisions made under earlier rules evaluated again');
    } else {
      this.#logger.debug({ rules, linked }, 'every decision is made under the rules in force');
    }
    return result;
  }
}
