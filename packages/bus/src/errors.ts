export type BusErrorCode = 'PDX_EVENT_LOG_UNAVAILABLE';

/** Failures of the event log itself (not of an event); the caller may retry later. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly retriable: boolean;
  /**
   * The log refused the message for its size (Kafka MESSAGE_TOO_LARGE, the embedded log's
   * maxMessageBytes): sending the same message again cannot succeed, so it is not retriable.
   */
  readonly messageTooLarge: boolean;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown; messageTooLarge?: boolean }) {
    super(message, options);
    this.code = code;
    this.messageTooLarge = options?.messageTooLarge ?? false;
    this.retriable = !this.messageTooLarge;
    this.name = new.target.name;
  }
}

/** Whether the log refused a write because the message is larger than it accepts. */
export function isMessageTooLarge(error: unknown): boolean {
  return (error as { messageTooLarge?: unknown } | null)?.messageTooLarge === true;
}
