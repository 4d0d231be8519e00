import { isRetriable, PdxError, parsePdxEventText, type SchemaRegistry } from '@pdx/contracts';
import { type Clock, type Logger, type RetryPolicy, RuntimeError, retry, sleep } from '@pdx/runtime';
import type { BusMetrics } from './bus-metrics.js';
import { writeDeadLetter } from './dead-letter.js';
import type { DeadLetter, DeliveryMeta, EventHandler, RawHeaders } from './event-bus.js';

export const defaultHandlerRetry: RetryPolicy = { attempts: 4, initialDelayMs: 200, maxDelayMs: 3_000 };

/** A message exactly as the log holds it: nothing is decoded or re-encoded on the way. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  /** The key's bytes, or null when the message has none. */
  key: Buffer | null;
  value: Buffer;
  headers: RawHeaders;
}

export interface DeliveryContext {
  group: string;
  registry: SchemaRegistry;
  handler: EventHandler;
  retry: RetryPolicy;
  clock: Clock;
  logger: Logger;
  /**
   * Writes a dead letter durably; must throw if it could not, with a BusError marked
   * messageTooLarge when the log refused it for its size (a smaller one is tried then).
   */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** Called between attempts so a long retry does not cost the group membership. */
  heartbeat?(): Promise<void>;
  signal?: AbortSignal;
  /** Counts what became of each message (consumed, dead-lettered). */
  metrics?: BusMetrics;
}

/**
 * An error that another attempt cannot change: a coded refusal (a PdxError not marked
 * retriable) or a bug (TypeError). Errors of unknown kind are tried again a few times.
 */
function isPermanent(error: unknown): boolean {
  return error instanceof TypeError || (error instanceof PdxError && !error.retriable);
}

/**
 * The one delivery procedure both adapters share: parse → handle with bounded retries →
 * or dead-letter. It resolves when the message is done with (handled or dead-lettered), so
 * the caller may commit its offset; it rejects only when even the dead letter could not be
 * written, in which case the offset must not be committed.
 */
export async function deliver(raw: RawMessage, ctx: DeliveryContext): Promise<'handled' | 'dead-lettered'> {
  const fail = async (reason: string, error: unknown, attempts: number) => {
    const outcome = await writeDeadLetter(raw, { reason, error, attempts }, ctx);
    ctx.metrics?.deadLettered(ctx.group, raw.topic, reason);
    return outcome;
  };

  // A structured-mode CloudEvent is JSON text, which is UTF-8 (RFC 8259 §8.1). Bytes that
  // are not would be altered by decoding them: refuse them here, before anything reads them.
  const text = decodeUtf8(raw.value);
  if (text === undefined) {
    return fail('PDX_EVENT_ENVELOPE_INVALID', new Error('not JSON: the message is not UTF-8 text'), 0);
  }
  const message = { ...describeMessage(raw), value: text };

  let event: ReturnType<typeof parsePdxEventText>;
  try {
    // From the exact text: a repeated member or an Integer written 1e3 is visible only there.
    event = parsePdxEventText(ctx.registry, message.value);
  } catch (error) {
    return fail(error instanceof PdxError ? error.code : 'PDX_EVENT_ENVELOPE_INVALID', error, 0);
  }

  let attempts = 0;
  for (;;) {
    try {
      await retry(
        async () => {
          attempts++;
          const meta: DeliveryMeta = { ...message, attempt: attempts };
          await ctx.handler(event, meta);
        },
        {
          policy: ctx.retry,
          retriable: (error) => !isPermanent(error),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
          onRetry: (error, attempt, delayMs) => {
            ctx.logger.warn({ err: error, attempt, delayMs, eventId: event.id }, 'handler failed; retrying');
            void ctx.heartbeat?.().catch(() => {});
          },
        },
      );
      ctx.metrics?.consumed(ctx.group, raw.topic);
      return 'handled';
    } catch (error) {
      // retry() throws a permanent error as it is, and gives up on the others with
      // PDX_RETRIES_EXHAUSTED, every attempt's error in its cause.
      const exhausted = error instanceof RuntimeError && error.code === 'PDX_RETRIES_EXHAUSTED';
      // Shutting down mid-retry: leave the event uncommitted so it is delivered again,
      // rather than dead-lettering an event that only met a passing failure.
      if (ctx.signal?.aborted && exhausted) throw error;
      const cause = exhausted ? (error.cause ?? error) : error;
      const last = cause instanceof AggregateError ? cause.errors.at(-1) : cause;
      if (isRetriable(last)) {
        // A dependency (the database, the log) is down, not the event: dead-lettering would
        // lose it for good. Hold the partition and keep trying (uncommitted) until it is back
        // or we stop.
        ctx.logger.error(
          { err: last, eventId: event.id, attempts },
          'a dependency is unavailable; holding the event',
        );
        await ctx.heartbeat?.().catch(() => {});
        await sleep(ctx.retry.maxDelayMs, ctx.signal);
        continue;
      }
      const reason = last instanceof PdxError ? last.code : 'PDX_HANDLER_FAILED';
      return fail(reason, last, attempts);
    }
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Where the message sits and its key and headers as text, for handlers and logs. */
function describeMessage(raw: RawMessage): Omit<DeliveryMeta, 'attempt'> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw.headers)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString('utf8');
  }
  return {
    topic: raw.topic,
    partition: raw.partition,
    offset: raw.offset,
    key: raw.key?.toString('utf8') ?? '',
    headers,
  };
}
