import { ApiError, type Schemas, type TokenSource } from '../api.js';
import { SseParser } from './sse.js';

export type Alert = Schemas['Alert'];

/** Where a stream is: opening, open, waiting to open again after a drop, closed by the page, or refused. */
export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed' | 'failed';

export interface AlertStreamOptions {
  tokens: TokenSource;
  /** Each alert the stream sends, in the stream's order. */
  onAlert(alert: Alert): void;
  /** The stream changed state; `failed` comes with the refusal (an ApiError). */
  onState(state: StreamState, error?: unknown): void;
  /** The stream is open: the first time, and again after each reconnection. */
  onOpen?(): void;
  fetch?: typeof fetch;
  /** Schedules a reconnection (a timer in the page); returns its cancel. */
  schedule?: (delayMs: number, run: () => void) => () => void;
  /** The longest wait between two attempts (30 s). */
  maxDelayMs?: number;
}

const PATH = '/v1/alerts/stream';
/** What the stream waits before reconnecting when the server has not said (`retry:`). */
const DEFAULT_RETRY_MS = 2_000;

/** The wait before reconnection attempt `attempt` (1, 2, …): the server's retry, doubled each time, capped. */
export function reconnectDelayMs(attempt: number, retryMs: number, maxMs: number): number {
  return Math.min(maxMs, retryMs * 2 ** Math.max(0, Math.min(attempt - 1, 16)));
}

async function problemOf(res: Response) {
  try {
    return (await res.json()) as Schemas['Problem'];
  } catch {
    return undefined;
  }
}

/**
 * A buyer's live alerts (GET /v1/alerts/stream) read with fetch: EventSource cannot send the
 * Authorization header, so the stream is read from the response body and parsed as
 * EventSource would (SseParser). After a drop it reconnects with `Last-Event-ID`, so the
 * exchange sends every alert made meanwhile, none twice; an access token refused as expired
 * is renewed once and the stream opened again; another refusal ends it (`failed`). `close`
 * aborts the request (the page is left).
 */
export class AlertStream {
  readonly #options: AlertStreamOptions;
  readonly #fetch: typeof fetch;
  readonly #schedule: (delayMs: number, run: () => void) => () => void;
  #lastEventId = '';
  #retryMs = DEFAULT_RETRY_MS;
  #attempt = 0;
  #abort: AbortController | undefined;
  #cancelTimer: (() => void) | undefined;
  #closed = false;

  constructor(options: AlertStreamOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.#schedule =
      options.schedule ??
      ((delay, run) => {
        const timer = setTimeout(run, delay);
        return () => clearTimeout(timer);
      });
  }

  /** The id of the last alert received: where a reconnection resumes. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  start(): void {
    void this.#connect(false);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#cancelTimer?.();
    this.#abort?.abort();
    this.#options.onState('closed');
  }

  async #connect(renewed: boolean): Promise<void> {
    if (this.#closed) return;
    this.#options.onState(this.#attempt === 0 ? 'connecting' : 'reconnecting');
    const abort = new AbortController();
    this.#abort = abort;
    let res: Response;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${await this.#options.tokens.token()}`,
        accept: 'text/event-stream',
      };
      if (this.#lastEventId) headers['last-event-id'] = this.#lastEventId;
      res = await this.#fetch(PATH, {
        headers,
        signal: abort.signal,
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      // The network, or a token that could not be renewed: try again later.
      this.#retry();
      return;
    }
    if (this.#closed) return;
    if (!res.ok || !res.body) {
      const problem = res.ok ? undefined : await problemOf(res);
      if (res.status === 401 && problem?.code === 'PDX_AUTH_EXPIRED' && !renewed) {
        try {
          await this.#options.tokens.renew();
        } catch {
          this.#retry();
          return;
        }
        await this.#connect(true);
        return;
      }
      // The exchange is down or busy: later. Anything else (a refusal) will not change by waiting.
      if (res.ok || res.status >= 500 || res.status === 429) this.#retry();
      else {
        this.#closed = true;
        this.#options.onState('failed', new ApiError(res.status, problem));
      }
      return;
    }
    this.#attempt = 0;
    this.#options.onState('live');
    this.#options.onOpen?.();
    await this.#read(res.body);
    if (!this.#closed) this.#retry();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const parser = new SseParser(this.#lastEventId);
    const decoder = new TextDecoder();
    const reader = body.getReader();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done || this.#closed) return;
        for (const event of parser.feed(decoder.decode(value, { stream: true }))) {
          this.#lastEventId = event.lastEventId;
          if (event.type !== 'alert') continue;
          let alert: Alert;
          try {
            alert = JSON.parse(event.data) as Alert;
          } catch {
            continue;
          }
          this.#options.onAlert(alert);
        }
        if (parser.retryMs !== undefined) this.#retryMs = parser.retryMs;
      }
    } catch {
      // The connection dropped (or was aborted by close): the caller decides.
    } finally {
      reader.releaseLock();
    }
  }

  #retry(): void {
    if (this.#closed) return;
    this.#attempt++;
    this.#options.onState('reconnecting');
    const delay = reconnectDelayMs(this.#attempt, this.#retryMs, this.#options.maxDelayMs ?? 30_000);
    this.#cancelTimer = this.#schedule(delay, () => {
      this.#cancelTimer = undefined;
      void this.#connect(false);
    });
  }
}
