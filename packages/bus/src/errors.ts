export type BusErrorCode = 'PDX_EVENT_LOG_UNAVAILABLE' | 'PDX_BUS_CLOSED';

/** Failures of the event log itself (not of an event): retriable unless the bus is closed. */
export class BusError extends Error {
  readonly code: BusErrorCode;
  readonly retriable: boolean;
  constructor(code: BusErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.retriable = code === 'PDX_EVENT_LOG_UNAVAILABLE';
    this.name = new.target.name;
  }
}
