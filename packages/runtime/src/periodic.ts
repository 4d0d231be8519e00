import type { Logger } from './logger.js';

/**
 * Runs `pass` now and then again `intervalMs` after each pass ends (never two at once); a
 * failed pass is logged and the next one comes as usual. `stop` waits for a running pass.
 */
export class PeriodicTask {
  readonly #pass: () => Promise<unknown>;
  readonly #intervalMs: number;
  readonly #logger: Logger;
  readonly #what: string;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #stopped = true;

  constructor(what: string, pass: () => Promise<unknown>, intervalMs: number, logger: Logger) {
    this.#what = what;
    this.#pass = pass;
    this.#intervalMs = intervalMs;
    this.#logger = logger;
  }

  start(): void {
    this.#stopped = false;
    const tick = () => {
      this.#running = this.#pass()
        .catch((error: unknown) =>
          this.#logger.warn({ err: error }, `${this.#what} failed; retrying next interval`),
        )
        .finally(() => {
          if (!this.#stopped) this.#timer = setTimeout(tick, this.#intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}
