import { errorCatalog, isRetriable, PdxError } from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { BusError, isMessageTooLarge } from './errors.js';

describe('BusError', () => {
  it('is a PdxError of the one catalog, retriable unless the log refused the message for its size', () => {
    const cause = new Error('ECONNREFUSED 10.0.0.7:9092');
    const down = new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'Kafka did not answer', { cause });
    expect(down).toBeInstanceOf(PdxError);
    expect(down).toMatchObject({
      name: 'BusError',
      code: 'PDX_EVENT_LOG_UNAVAILABLE',
      retriable: true,
      messageTooLarge: false,
      publicDetail: errorCatalog.PDX_EVENT_LOG_UNAVAILABLE.title,
      cause,
    });
    expect(isRetriable(down)).toBe(true);
    expect(isMessageTooLarge(down)).toBe(false);

    const tooLarge = new BusError('PDX_EVENT_LOG_UNAVAILABLE', 'too large', { messageTooLarge: true });
    expect(tooLarge).toMatchObject({ retriable: false, messageTooLarge: true });
    expect(isRetriable(tooLarge)).toBe(false);
    expect(isMessageTooLarge(tooLarge)).toBe(true);
  });

  it('is told by its type: an object that only looks too large is not', () => {
    expect(isMessageTooLarge(Object.assign(new Error('x'), { messageTooLarge: true }))).toBe(false);
    expect(isMessageTooLarge(undefined)).toBe(false);
  });
});
