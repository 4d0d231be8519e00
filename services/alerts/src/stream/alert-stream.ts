import type { Writable } from 'node:stream';
import { PdxError } from '@pdx/contracts';
import type { Collection } from '@pdx/store';
import type { AlertDoc } from '../alert-records.js';
import { toAlertView } from '../inbox/alert-view.js';
import type { AlertFeed } from './alert-feed.js';

/** Alerts read per query while a stream catches up. */
export const STREAM_PAGE_SIZE = 200;

/** Where a stream is: the last alert it sent, in (createdMs, alertId) order. */
export interface StreamPosition {
  createdMs: number;
  alertId: string;
}

const lastEventIdPattern = /^(\d{1,15}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/**
 * Pure: the position a `Last-Event-ID` names — an id this stream sent, `<createdMs>:<alertId>`
 * — or undefined when there is none. Anything else is refused rather than read as "from now",
 * which would silently skip every alert the client missed.
 */
export function parseLastEventId(header: string | undefined): StreamPosition | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const match = lastEventIdPattern.exec(header.trim());
  if (!match) {
    throw new PdxError(
      'PDX_REQUEST_INVALID',
      'Last-Event-ID must be the id of an event this stream sent: <createdMs>:<alertId>',
      { pointer: '/headers/last-event-id' },
    );
  }
  return { createdMs: Number(match[1]), alertId: match[2]! };
}

/** One Server-Sent Event (text/event-stream); its id is the alert's position. */
export function alertEvent(alert: AlertDoc): string {
  return `id: ${alert.createdMs}:${alert.id}\nevent: alert\ndata: ${JSON.stringify(toAlertView(alert))}\n\n`;
}

export interface AlertStreamDeps {
  alerts: Pick<Collection<AlertDoc>, 'find'>;
  feed: Pick<AlertFeed, 'horizon' | 'onChange'>;
  buyerId: string;
  pageSize?: number;
  /** A read failed (the next wake-up tries again). */
  onError(error: unknown): void;
}

/**
 * One buyer's live stream on one connection: every alert after its position, in
 * (createdMs, alertId) order, none twice — the backlog after a `Last-Event-ID` however long,
 * then new alerts as they come, through the same ordered reader so the two never interleave
 * out of order. The backlog is read a page at a time (keyset: after the last alert sent), and
 * an alert is written only once the socket took the previous ones (a `write` answered false
 * waits for 'drain'), so a slow reader costs one page of memory, not the backlog.
 */
export class AlertStreamSession {
  readonly #deps: AlertStreamDeps;
  readonly #out: Writable;
  #position: StreamPosition;
  #pulling = false;
  #again = false;
  #closed = false;
  #stopFeed: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unblock: (() => void) | undefined;

  constructor(deps: AlertStreamDeps, out: Writable, position: StreamPosition) {
    this.#deps = deps;
    this.#out = out;
    this.#position = position;
  }

  /** The last alert sent (or the starting point). */
  get position(): StreamPosition {
    return { ...this.#position };
  }

  start(): void {
    this.#stopFeed = this.#deps.feed.onChange((alert) => {
      if (alert?.buyerId === this.#deps.buyerId) void this.pull();
    });
    void this.pull();
  }

  /** Sends whatever is readable after the position; calls made meanwhile run once more after it. */
  async pull(): Promise<void> {
    if (this.#closed) return;
    if (this.#pulling) {
      this.#again = true;
      return;
    }
    this.#pulling = true;
    try {
      do {
        this.#again = false;
        await this.#catchUp();
      } while (this.#again && !this.#closed);
    } catch (error) {
      this.#deps.onError(error);
    } finally {
      this.#pulling = false;
    }
  }

  /** A comment that keeps proxies from closing an idle stream; skipped while the socket is full. */
  keepAlive(): void {
    if (!this.#closed && !this.#out.writableNeedDrain) this.#out.write(': keep-alive\n\n');
  }

  close(): void {
    this.#closed = true;
    this.#stopFeed?.();
    clearTimeout(this.#timer);
    this.#unblock?.();
  }

  async #catchUp(): Promise<void> {
    const { alerts, feed, buyerId } = this.#deps;
    const pageSize = this.#deps.pageSize ?? STREAM_PAGE_SIZE;
    for (;;) {
      // Before the query: everything up to the horizon is stored by the time it runs.
      const horizon = feed.horizon();
      const page = await alerts.find(
        { buyerId },
        {
          sort: { field: 'createdMs', order: 1 },
          limit: pageSize,
          after: { value: this.#position.createdMs, id: this.#position.alertId },
        },
      );
      for (const alert of page) {
        if (this.#closed) return;
        if (alert.createdMs > horizon) {
          // Not readable yet (being written, or within the settle time): look again when it is.
          this.#wakeIn(Math.min(1_000, Math.max(2, alert.createdMs - horizon)));
          return;
        }
        const accepted = this.#out.write(alertEvent(alert));
        this.#position = { createdMs: alert.createdMs, alertId: alert.id };
        if (!accepted) await this.#drained();
      }
      if (page.length < pageSize || this.#closed) return;
    }
  }

  #wakeIn(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.pull(), ms);
  }

  /** Resolves once the socket wants more, or the stream ended. */
  #drained(): Promise<void> {
    if (this.#out.destroyed || this.#out.writableEnded) {
      this.#closed = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        this.#out.off('drain', done);
        this.#out.off('close', done);
        this.#unblock = undefined;
        resolve();
      };
      this.#unblock = done;
      this.#out.on('drain', done);
      this.#out.on('close', done);
    });
  }
}
