/** One Server-Sent Event as dispatched (WHATWG HTML, "Parsing an event stream"). */
export interface SseEvent {
  /** The `event` field, `message` when none was given. */
  type: string;
  data: string;
  /** The last event id in force when it was dispatched ('' for none). */
  lastEventId: string;
}

/**
 * An incremental text/event-stream parser, fed decoded text as it arrives (a chunk may end
 * in the middle of a line, or between the CR and LF of one line ending). It follows the
 * HTML standard's algorithm, so a stream read with fetch (which can send the Authorization
 * header EventSource cannot) is read as EventSource would: comments ignored, `id` kept
 * across events (and never one containing NUL), `retry` only when all digits, an event
 * without data not dispatched.
 */
export class SseParser {
  #buffer = '';
  #data: string[] = [];
  #type = '';
  #lastEventId: string;
  #pendingCr = false;
  /** The reconnection time the stream asked for (`retry:`), in milliseconds. */
  retryMs: number | undefined;

  /** `lastEventId`: the id a previous connection of the same stream last received. */
  constructor(lastEventId = '') {
    this.#lastEventId = lastEventId;
  }

  /** The last event id received, kept for `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The events completed by `chunk`. */
  feed(chunk: string): SseEvent[] {
    let text = chunk;
    // A CR ended the previous chunk: an LF starting this one belongs to the same line ending.
    if (this.#pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.#pendingCr = false;
    this.#buffer += text;
    const events: SseEvent[] = [];
    for (;;) {
      const at = this.#buffer.search(/[\r\n]/);
      if (at === -1) break;
      const line = this.#buffer.slice(0, at);
      let end = at + 1;
      if (this.#buffer[at] === '\r') {
        if (at + 1 === this.#buffer.length) this.#pendingCr = true;
        else if (this.#buffer[at + 1] === '\n') end = at + 2;
      }
      this.#buffer = this.#buffer.slice(end);
      const event = this.#line(line);
      if (event) events.push(event);
    }
    return events;
  }

  #line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#type = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseEvent | undefined {
    const data = this.#data;
    const type = this.#type;
    this.#data = [];
    this.#type = '';
    if (data.length === 0) return undefined;
    return { type: type || 'message', data: data.join('\n'), lastEventId: this.#lastEventId };
  }
}
