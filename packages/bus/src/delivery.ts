import { PdxError, parsePdxEventText, type SchemaRegistry } from '@pdx/contracts';
import { type Clock, describeError, type Logger, type RetryPolicy, retry, sleep } from '@pdx/runtime';
import { type DeadLetter, type DeliveryMeta, deadLetterHeaders, type EventHandler } from './event-bus.js';

export const defaultHandlerRetry: RetryPolicy = { attempts: 4, initialDelayMs: 200, maxDelayMs: 3_000 };

export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface DeliveryContext {
  group: string;
  registry: SchemaRegistry;
  handler: EventHandler;
  retry: RetryPolicy;
  clock: Clock;
  logger: Logger;
  /** Writes a dead letter durably; must throw if it could not. */
  deadLetter(letter: DeadLetter): Promise<void>;
  /** Called between attempts so a long retry does not cost the group membership. */
  heartbeat?(): Promise<void>;
  signal?: AbortSignal;
}

function isPermanent(error: unknown): boolean {
  if (error instanceof PdxError || error instanceof TypeError) return true;
  return (error as { retriable?: unknown } | null)?.retriable === false;
}

/**
 * The one delivery procedure both adapters share: parse → handle with bounded retries →
 * or dead-letter. It resolves when the message is done with (handled or dead-lettered), so
 * the caller may commit its offset; it rejects only when even the dead letter could not be
 * written, in which case the offset must not be committed.
 */
export async function deliver(
  message: RawMessage,
  ctx: DeliveryContext,
): Promise<'handled' | 'dead-lettered'> {
  const fail = async (reason: string, error: unknown, attempts: number) => {
    const headers = {
      ...message.headers,
      [deadLetterHeaders.reason]: reason,
      [deadLetterHeaders.error]: describeError(error).slice(0, 2_000),
      [deadLetterHeaders.group]: ctx.group,
      [deadLetterHeaders.topic]: message.topic,
      [deadLetterHeaders.partition]: String(message.partition),
      [deadLetterHeaders.offset]: message.offset,
      [deadLetterHeaders.attempts]: String(attempts),
      [deadLetterHeaders.time]: new Date(ctx.clock.now()).toISOString(),
    };
    ctx.logger.warn(
      { reason, err: error, topic: message.topic, partition: message.partition, offset: message.offset },
      'event dead-lettered',
    );
    await ctx.deadLetter({ key: message.key, value: message.value, headers });
    return 'dead-lettered' as const;
  };

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
      return 'handled';
    } catch (error) {
      // Shutting down mid-retry: leave the event uncommitted so it is delivered again,
      // rather than dead-lettering an event that only met a passing failure.
      if (ctx.signal?.aborted && !isPermanent(error)) throw error;
      const cause = isPermanent(error) ? error : ((error as Error).cause ?? error);
      const last = cause instanceof AggregateError ? cause.errors.at(-1) : cause;
      if (isUnavailableDependency(last)) {
        // The database or the log is down, not the event: dead-lettering would lose it for
        // good. Hold the partition and keep trying (uncommitted) until it is back or we stop.
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

/** Errors that say a dependency (database, log) is unavailable, as StoreError and BusError mark them. */
function isUnavailableDependency(error: unknown): boolean {
  return (error as { retriable?: unknown } | null)?.retriable === true;
}
