import { PdxError } from '@pdx/contracts';
import { principalOf } from '@pdx/http';
import type { FastifyRequest } from 'fastify';

/** The calling party's id; an operator (no party) is refused, naming whose `what` is. */
export function callingParty(request: FastifyRequest, what: string): string {
  const caller = principalOf(request);
  if (caller.kind !== 'party') throw new PdxError('PDX_ROLE_REQUIRED', `${what} are a buyer’s`);
  return caller.id;
}
