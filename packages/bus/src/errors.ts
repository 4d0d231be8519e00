import { catalogEntry, PdxError } from '@pdx/contracts';

export type BusErrorCode = 'PDX_EVENT_LOG_UNAVAILABLE';

/**
 * Failures of the event log itself (not of an event); the caller may retry later. Its
 * message is for operators: over HTTP the catalog's title answers instead.
 */
export class BusError extends PdxError {
  declare readonly code: BusErrorCode;
  /**
   * The log refused the message for its size (Kafka MESSAGE_TOO_LARGE, the embedded log's
   * maxMessageBytes): sending the same message again cannot succeed, so it is not retriable.
   */
  readonly messageTooLarge: boolean;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown; messageTooLarge?: boolean }) {
    const messageTooLarge = options?.messageTooLarge ?? false;
    super(code, message, {
      cause: options?.cause,
      publicDetail: catalogEntry(code).title,
      ...(messageTooLarge ? { retriable: false } : {}),
    });
    this.messageTooLarge = messageTooLarge;
  }
}

/** Whether the log refused a write because the message is larger than it accepts. */
export function isMessageTooLarge(error: unknown): boolean {
  return error instanceof BusError && error.messageTooLarge;
}
