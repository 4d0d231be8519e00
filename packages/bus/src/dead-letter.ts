import { createHash } from 'node:crypto';
import { type Clock, describeError, type Logger, type RetryPolicy, sleep } from '@pdx/runtime';
import type { RawMessage } from './delivery.js';
import { isMessageTooLarge } from './errors.js';
import { type DeadLetter, deadLetterHeaders } from './event-bus.js';

/** The largest prefix of the value a truncated dead letter tries first. */
export const DEAD_LETTER_PREFIX_BYTES = 64 * 1024;

/** Why a message is dead-lettered. */
export interface Failure {
  reason: string;
  error: unknown;
  attempts: number;
}

export interface DeadLetterContext {
  group: string;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  deadLetter(letter: DeadLetter): Promise<void>;
  heartbeat?(): Promise<void>;
  signal?: AbortSignal;
}

/**
 * Writes the dead letter of `raw`, so that its offset may be committed. Dead-lettering must
 * not fail for the message's own sake, or its partition would stay blocked behind it:
 *
 * 1. The whole original, byte for byte, with the pdx-dlq-* headers.
 * 2. When the log refuses that for its size (the headers pushed a message that was just
 *    under the limit over it), the original's first half or first 64 KiB, whichever is
 *    smaller, then a quarter of that, … down to none, each marked pdx-dlq-truncated with the original's size and SHA-256; the source
 *    topic, partition and offset locate the whole of it while the topic retains it.
 * 3. Last, without the original headers and with a shorter error text.
 *
 * Any other failure (the log is down) is not the message's fault: the same letter is retried,
 * heartbeating, until it is written or the consumer stops; then this rejects and the message
 * stays uncommitted, to be delivered again.
 */
export async function writeDeadLetter(
  raw: RawMessage,
  failure: Failure,
  ctx: DeadLetterContext,
): Promise<'dead-lettered'> {
  const digest = createHash('sha256').update(raw.value).digest('hex');
  ctx.logger.warn(
    {
      reason: failure.reason,
      err: failure.error,
      topic: raw.topic,
      partition: raw.partition,
      offset: raw.offset,
      valueBytes: raw.value.length,
      valueSha256: digest,
    },
    'event dead-lettered',
  );
  for (const letter of candidates(raw, failure, digest, ctx)) {
    for (;;) {
      try {
        await ctx.deadLetter(letter);
        if (letter.headers[deadLetterHeaders.truncated]) {
          ctx.logger.warn(
            { offset: raw.offset, valueBytes: raw.value.length, keptBytes: letter.value.length },
            'dead letter truncated to fit the log',
          );
        }
        return 'dead-lettered';
      } catch (error) {
        if (isMessageTooLarge(error)) break;
        if (!ctx.signal || ctx.signal.aborted) throw error;
        ctx.logger.error({ err: error, offset: raw.offset }, 'dead letter not written; retrying');
        await ctx.heartbeat?.().catch(() => {});
        await sleep(ctx.retry.maxDelayMs, ctx.signal);
        if (ctx.signal.aborted) throw error;
      }
    }
  }
  throw new Error(
    `the log refuses even a dead letter without value or original headers: is its message size limit below 1 KiB? (${raw.topic} ${raw.partition}@${raw.offset})`,
  );
}

/** The dead letters to try, largest first (see writeDeadLetter). */
function* candidates(
  raw: RawMessage,
  failure: Failure,
  digest: string,
  ctx: DeadLetterContext,
): Generator<DeadLetter> {
  const describe = (errorChars: number): Record<string, string> => ({
    [deadLetterHeaders.reason]: failure.reason,
    [deadLetterHeaders.error]: describeError(failure.error).slice(0, errorChars),
    [deadLetterHeaders.group]: ctx.group,
    [deadLetterHeaders.topic]: raw.topic,
    [deadLetterHeaders.partition]: String(raw.partition),
    [deadLetterHeaders.offset]: raw.offset,
    [deadLetterHeaders.attempts]: String(failure.attempts),
    [deadLetterHeaders.time]: new Date(ctx.clock.now()).toISOString(),
    [deadLetterHeaders.valueBytes]: String(raw.value.length),
    [deadLetterHeaders.valueSha256]: digest,
  });
  const full = describe(2_000);
  yield { key: raw.key, value: raw.value, headers: { ...raw.headers, ...full } };
  const truncated = { ...full, [deadLetterHeaders.truncated]: 'true' };
  // Half the value first: the headers that did not fit are a few KiB at most.
  const first = Math.min(Math.floor(raw.value.length / 2), DEAD_LETTER_PREFIX_BYTES);
  for (let size = first; size >= 0; size = next(size)) {
    yield { key: raw.key, value: raw.value.subarray(0, size), headers: { ...raw.headers, ...truncated } };
  }
  const dropped = Object.keys(raw.headers).length;
  yield {
    key: raw.key,
    value: Buffer.alloc(0),
    headers: {
      ...describe(200),
      [deadLetterHeaders.truncated]: 'true',
      ...(dropped > 0 ? { [deadLetterHeaders.headersDropped]: String(dropped) } : {}),
    },
  };
}

/** A quarter of the size, then 0 once it gets small: a handful of tries from 64 KiB. */
function next(size: number): number {
  if (size === 0) return -1;
  return size < 256 ? 0 : Math.floor(size / 4);
}
