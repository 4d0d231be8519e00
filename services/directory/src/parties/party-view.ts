import { currentJwks, type PartyView } from '@pdx/contracts';
import type { PartyDoc } from '@pdx/read-models';

/** The party as served: its current JWKS derived from its keys at `now` (ms). */
export function toView(doc: PartyDoc, now: number): PartyView {
  const { id: _id, sourceEventId: _e, ...view } = doc;
  return { ...view, jwks: currentJwks(doc.keys, now) };
}
