import { PdxError } from '@pdx/contracts';

/**
 * The policy for an event that only changes a record this copy has not seen (a key of an
 * unregistered party, the acceptance or end of a link never offered): refused with a
 * non-retriable PdxError, which the consumer dead-letters with its code as the reason. The
 * events of a record share one partition and its first event comes first, so the copy lost
 * that first event: held, the event would wait for one that is not coming again;
 * dead-lettered, it is kept for replay and counted. (An event that carries its whole record,
 * as a certificate event does, is never early: it is the record.)
 */
export function seenBefore<T>(
  current: T | undefined,
  event: { type: string; id: string },
  code: 'PDX_PARTY_NOT_FOUND' | 'PDX_RELATIONSHIP_NOT_FOUND',
  record: string,
): T {
  if (current === undefined) {
    throw new PdxError(code, `${event.type} ${event.id} changes ${record}, which this copy has not seen`);
  }
  return current;
}
