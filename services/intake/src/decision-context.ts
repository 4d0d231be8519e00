import type { DecisionContext } from '@pdx/contracts';
import type { IntakeDeps } from './parties/register-party.js';

/** What a request's deciders are given: the time read once from the service's clock, its source, its registry. */
export function decisionContext(deps: Pick<IntakeDeps, 'clock' | 'source' | 'registry'>): DecisionContext {
  return { now: deps.clock.now(), source: deps.source, registry: deps.registry };
}

/** The decision time as an ISO 8601 timestamp, as records and events state it. */
export function isoAt(context: DecisionContext): string {
  return new Date(context.now).toISOString();
}
