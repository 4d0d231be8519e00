import {
  contentHash,
  decisionContext,
  type IncidentRecord,
  type IncidentRecordRequest,
  PdxError,
  type PdxEvent,
} from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import { type Collection, handleChange, type OutboxRecord } from '@pdx/store';
import type { DeclarationDeps } from '../declarations/submit-declaration.js';
import { decideIncident } from './buyer-record-decisions.js';
import { requireLinkedBuyer } from './buyer-records.js';

/** A security incident a buyer recorded about a partner; the id is `<buyer>~<incidentId>`. */
export interface IncidentRecordDoc extends OutboxRecord<PdxEvent> {
  buyerId: string;
  partnerId: string;
  incident: IncidentRecord;
}

export const incidentRecords = {
  name: 'incidents',
  indexes: [{ fields: ['pending'] }, { fields: ['buyerId', 'partnerId'] }],
} as const;

export interface IncidentDeps extends DeclarationDeps {
  incidents: Collection<IncidentRecordDoc>;
  skewMs: number;
}

/**
 * A buyer records a security incident involving a business partner (ISO 28001 5.7): only
 * of a partner with an accepted link, never dated in the future. It raises the partner's
 * risk tier and calls for a review (4.5). Incidents are kept: the same incidentId again is
 * idempotent, with other content a conflict, never an overwrite.
 */
export async function recordIncident(
  deps: IncidentDeps,
  caller: Principal,
  request: IncidentRecordRequest,
): Promise<{ kind: 'created' | 'unchanged'; view: IncidentRecord }> {
  const { partnerId, incidentId } = request;
  const buyerId = await requireLinkedBuyer(deps, caller, partnerId, 'incidents');
  if (Date.parse(request.occurredAt) > deps.clock.now() + deps.skewMs) {
    throw new PdxError('PDX_INCIDENT_DATE_INVALID', 'occurredAt is in the future', {
      pointer: '/occurredAt',
    });
  }
  const context = decisionContext(deps);
  const input = { request, buyerId, contentHash: contentHash(request) };
  const outcome = await handleChange(
    deps,
    deps.incidents,
    `${buyerId}~${incidentId}`,
    (current) => decideIncident(current, input, context),
    { repeat: 'publish' },
  );
  return { kind: outcome.kind === 'changed' ? 'created' : 'unchanged', view: outcome.value! };
}
