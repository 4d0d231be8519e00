export type BusErrorCode = 'PDX_EVENT_LOG_UNAVAILABLE';

/** Failures of the event log itself (not of an event); the caller may retry later. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly retriable: boolean;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = true;
    this.name = new.target.name;
  }
}
