import {
  assertNever,
  attestationReceivedAt,
  keysAfter,
  keysAtRegistration,
  type PdxEvent,
  relationshipStateAfter,
} from '@pdx/contracts';
import { decodeCompactJws } from '@pdx/crypto';
import type { AreaCode } from '@pdx/rules';
import { certificateAfter } from '@pdx/schemes';
import type { Collection, DocumentStore } from '@pdx/store';
import {
  type CertificateDoc,
  certificateDocs,
  type DeclarationDoc,
  declarationDocs,
  type HistoryDoc,
  historyDocs,
  type IncidentDoc,
  incidentDocs,
  type LinkDoc,
  linkDocs,
  type PartyDoc,
  type PolicyDoc,
  partyDocs,
  policyDocs,
  type ReviewDoc,
  type ReviewTaskDoc,
  reviewDocs,
  reviewTaskDocs,
} from './fact-docs.js';

export interface FactStore {
  history: Collection<HistoryDoc>;
  parties: Collection<PartyDoc>;
  links: Collection<LinkDoc>;
  declarations: Collection<DeclarationDoc>;
  certificates: Collection<CertificateDoc>;
  policies: Collection<PolicyDoc>;
  reviews: Collection<ReviewDoc>;
  incidents: Collection<IncidentDoc>;
  tasks: Collection<ReviewTaskDoc>;
}

/** The review service's projections of the facts, in its own database. */
export async function openFactStore(store: DocumentStore): Promise<FactStore> {
  return {
    parties: await store.collection<PartyDoc>(partyDocs),
    links: await store.collection<LinkDoc>(linkDocs),
    declarations: await store.collection<DeclarationDoc>(declarationDocs),
    certificates: await store.collection<CertificateDoc>(certificateDocs),
    policies: await store.collection<PolicyDoc>(policyDocs),
    reviews: await store.collection<ReviewDoc>(reviewDocs),
    history: await store.collection<HistoryDoc>(historyDocs),
    incidents: await store.collection<IncidentDoc>(incidentDocs),
    tasks: await store.collection<ReviewTaskDoc>(reviewTaskDocs),
  };
}

export interface Pair {
  buyerId: string;
  partnerId: string;
}

/**
 * Applies an event to the facts, idempotently, and names the (buyer, partner) pairs whose
 * decision may have changed: every fact about a partner concerns each buyer linked to it.
 */
export async function applyFactEvent(store: FactStore, event: PdxEvent): Promise<Pair[]> {
  const linkedBuyers = async (partnerId: string): Promise<Pair[]> =>
    (await store.links.find({ partnerId, state: 'accepted' })).map((l) => ({
      buyerId: l.buyerId,
      partnerId,
    }));
  switch (event.type) {
    case 'org.pdx.party.registered.v1': {
      const { party, registeredAt } = event.data;
      if (!(await store.parties.get(party.partyId))) {
        await store.parties.put({
          id: party.partyId,
          legalName: party.legalName,
          country: party.country,
          identifiers: party.identifiers ?? [],
          roles: party.roles,
          keys: keysAtRegistration(party, registeredAt),
        });
      }
      return [];
    }
    case 'org.pdx.party.key-added.v1': {
      // The keys authenticate callers of this service.
      const party = await store.parties.get(event.subject);
      if (party) await store.parties.put({ ...party, keys: keysAfter(party.keys, { added: event.data }) });
      return [];
    }
    case 'org.pdx.party.key-revoked.v1': {
      const party = await store.parties.get(event.subject);
      if (party) await store.parties.put({ ...party, keys: keysAfter(party.keys, { revoked: event.data }) });
      // A revocation may reach back before what the key signed (a compromise found later):
      // the party's own declarations, which concern every buyer linked to it, and, for an
      // issuer, each attestation it signed with this key, which concerns every buyer linked
      // to the holder. Whether each signature still stands is for the evaluation to say.
      const holders = new Set<string>();
      for (const doc of await store.certificates.find({ 'certificate.issuer': event.subject })) {
        const jws = doc.certificate.attestation?.jws;
        if (jws !== undefined && decodeCompactJws(jws).header.kid === event.data.kid) holders.add(doc.holder);
      }
      const pairs = await linkedBuyers(event.subject);
      for (const holder of holders) pairs.push(...(await linkedBuyers(holder)));
      return [...new Map(pairs.map((p) => [`${p.buyerId}~${p.partnerId}`, p])).values()];
    }
    case 'org.pdx.relationship.offered.v1':
    case 'org.pdx.relationship.accepted.v1':
    case 'org.pdx.relationship.ended.v1': {
      const { relationshipId, buyerId, partnerId } = event.data;
      const current = await store.links.get(relationshipId);
      const scope =
        event.type === 'org.pdx.relationship.offered.v1'
          ? {
              functions: event.data.scopeOfService.functions,
              locations: event.data.scopeOfService.locations ?? [],
            }
          : { functions: current?.functions ?? [], locations: current?.locations ?? [] };
      await store.links.put({
        id: relationshipId,
        buyerId,
        partnerId,
        state: relationshipStateAfter(event.type),
        ...scope,
      });
      return [{ buyerId, partnerId }];
    }
    case 'org.pdx.declaration.submitted.v1': {
      const { declaration, jws } = event.data;
      await store.declarations.put({
        id: `${declaration.issuer}~${declaration.declarationId}`,
        issuer: declaration.issuer,
        jws,
        submittedAt: event.data.submittedAt,
        fact: {
          declarationId: declaration.declarationId,
          recipients: declaration.recipients,
          issuedAt: declaration.issuedAt,
          validFrom: declaration.validity.from,
          validUntil: declaration.validity.until,
          areas: Object.keys(declaration.measures).sort() as AreaCode[],
          ...(declaration.supersedes === undefined ? {} : { supersedes: declaration.supersedes }),
        },
      });
      return linkedBuyers(declaration.issuer);
    }
    case 'org.pdx.certificate.registered.v1':
    case 'org.pdx.certificate.renewed.v1':
    case 'org.pdx.certificate.suspended.v1':
    case 'org.pdx.certificate.reinstated.v1':
    case 'org.pdx.certificate.withdrawn.v1':
    case 'org.pdx.certificate.claim-confirmed.v1':
    case 'org.pdx.certificate.expired.v1': {
      const incoming = event.data.certificate;
      const stored = await store.certificates.get(incoming.certificateId);
      const certificate = certificateAfter(
        stored?.certificate,
        incoming,
        event.type === 'org.pdx.certificate.expired.v1',
      );
      if (certificate) {
        const receivedAt = attestationReceivedAt(
          event,
          stored && { jws: stored.certificate.attestation?.jws, receivedAt: stored.attestationReceivedAt },
        );
        await store.certificates.put({
          id: certificate.certificateId,
          holder: certificate.holder,
          certificate,
          ...(receivedAt === undefined ? {} : { attestationReceivedAt: receivedAt }),
        });
      }
      return linkedBuyers(incoming.holder);
    }
    case 'org.pdx.certificate.expiring.v1':
      return [];
    case 'org.pdx.recognition-policy.changed.v1': {
      const { policy } = event.data;
      const current = await store.policies.get(policy.buyerId);
      if (!current || current.version < policy.version) {
        await store.policies.put({
          id: policy.buyerId,
          version: policy.version,
          schemes: policy.schemes,
          issuers: Object.fromEntries(Object.entries(policy.issuers).map(([k, v]) => [k, v ?? []])),
          ...(policy.review === undefined ? {} : { review: policy.review }),
        });
      }
      return (await store.links.find({ buyerId: policy.buyerId, state: 'accepted' })).map((l) => ({
        buyerId: l.buyerId,
        partnerId: l.partnerId,
      }));
    }
    case 'org.pdx.review.recorded.v1': {
      const { review } = event.data;
      await store.reviews.put({
        id: `${review.buyerId}~${review.reviewId}`,
        buyerId: review.buyerId,
        partnerId: review.partnerId,
        review: {
          reviewId: review.reviewId,
          declarationId: review.declarationId,
          reviewedAt: review.reviewedAt,
          reviewer: review.reviewer,
          method: review.method,
          outcome: review.outcome,
          findings: review.findings,
        },
        record: review,
      });
      return [{ buyerId: review.buyerId, partnerId: review.partnerId }];
    }
    case 'org.pdx.incident.recorded.v1': {
      const { incident } = event.data;
      await store.incidents.put({
        id: `${incident.buyerId}~${incident.incidentId}`,
        buyerId: incident.buyerId,
        partnerId: incident.partnerId,
        incident: {
          incidentId: incident.incidentId,
          occurredAt: incident.occurredAt,
          severity: incident.severity,
        },
      });
      return [{ buyerId: incident.buyerId, partnerId: incident.partnerId }];
    }
    case 'org.pdx.review-task.opened.v1': {
      // The service's own tasks, kept for the buyer's task list.
      const { taskId, buyerId, partnerId, task, openedAt } = event.data;
      if (!(await store.tasks.get(taskId))) {
        await store.tasks.put({
          id: taskId,
          buyerId,
          partnerId,
          task,
          state: 'open',
          dueMs: Date.parse(task.dueAt),
          openedAt,
        });
      }
      return [];
    }
    case 'org.pdx.review-task.closed.v1': {
      const { taskId, buyerId, partnerId, task, closedAt, outcome, reviewId } = event.data;
      const opened = await store.tasks.get(taskId);
      await store.tasks.put({
        id: taskId,
        buyerId,
        partnerId,
        task,
        dueMs: Date.parse(task.dueAt),
        openedAt: opened?.openedAt ?? closedAt,
        state: 'closed',
        closedAt,
        outcome,
        ...(reviewId === undefined ? {} : { reviewId }),
      });
      return [];
    }
    case 'org.pdx.partner.status.changed.v1': {
      // The service's own decisions, kept as the pair's history.
      const { decision, previousStatus, cause, version } = event.data;
      await store.history.put({
        id: `${decision.buyerId}~${decision.partnerId}~${version}`,
        buyerId: decision.buyerId,
        partnerId: decision.partnerId,
        version,
        decision,
        ...(previousStatus === undefined ? {} : { previousStatus }),
        cause,
      });
      return [];
    }
    case 'org.pdx.exemption.granted.v1':
    case 'org.pdx.exemption.revoked.v1':
    case 'org.pdx.exemption.basis-changed.v1':
      return [];
    default:
      return assertNever(event);
  }
}
