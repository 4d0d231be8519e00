import { assertNever, isCertificateChange, type PdxEvent } from '@pdx/contracts';
import { decodeCompactJws } from '@pdx/crypto';
import { applyCertificateEvent, applyLinkEvent, applyPartyEvent } from '@pdx/read-models';
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
import {
  declarationDocOf,
  evolvePolicy,
  evolveTask,
  historyDocOf,
  incidentDocOf,
  reviewDocOf,
} from './fact-evolve.js';

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
  if (isCertificateChange(event)) {
    await applyCertificateEvent(store.certificates, event);
    return linkedBuyers(event.data.certificate.holder);
  }
  switch (event.type) {
    case 'org.pdx.party.registered.v1':
    case 'org.pdx.party.key-added.v1':
      // The keys authenticate callers of this service.
      await applyPartyEvent(store.parties, event);
      return [];
    case 'org.pdx.party.key-revoked.v1': {
      await applyPartyEvent(store.parties, event);
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
      await applyLinkEvent(store.links, event);
      return [{ buyerId: event.data.buyerId, partnerId: event.data.partnerId }];
    }
    case 'org.pdx.declaration.submitted.v1':
      await store.declarations.put(declarationDocOf(event));
      return linkedBuyers(event.data.declaration.issuer);
    case 'org.pdx.certificate.expiring.v1':
      return [];
    case 'org.pdx.recognition-policy.changed.v1': {
      const { buyerId } = event.data.policy;
      const next = evolvePolicy(await store.policies.get(buyerId), event);
      if (next) await store.policies.put(next);
      return (await store.links.find({ buyerId, state: 'accepted' })).map((l) => ({
        buyerId: l.buyerId,
        partnerId: l.partnerId,
      }));
    }
    case 'org.pdx.review.recorded.v1': {
      const doc = reviewDocOf(event);
      await store.reviews.put(doc);
      return [{ buyerId: doc.buyerId, partnerId: doc.partnerId }];
    }
    case 'org.pdx.incident.recorded.v1': {
      const doc = incidentDocOf(event);
      await store.incidents.put(doc);
      return [{ buyerId: doc.buyerId, partnerId: doc.partnerId }];
    }
    case 'org.pdx.review-task.opened.v1':
    case 'org.pdx.review-task.closed.v1': {
      // The service's own tasks, kept for the buyer's task list.
      const next = evolveTask(await store.tasks.get(event.data.taskId), event);
      if (next) await store.tasks.put(next);
      return [];
    }
    case 'org.pdx.partner.status.changed.v1':
      // The service's own decisions, kept as the pair's history.
      await store.history.put(historyDocOf(event));
      return [];
    case 'org.pdx.exemption.granted.v1':
    case 'org.pdx.exemption.revoked.v1':
    case 'org.pdx.exemption.basis-changed.v1':
      return [];
    default:
      return assertNever(event);
  }
}
