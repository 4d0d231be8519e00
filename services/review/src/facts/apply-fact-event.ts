import { assertNever, keysAfter, type PdxEvent, relationshipStateAfter } from '@pdx/contracts';
import type { AreaCode } from '@pdx/rules';
import { certificateAfter } from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import type {
  CertificateDoc,
  DeclarationDoc,
  HistoryDoc,
  LinkDoc,
  PartyDoc,
  PolicyDoc,
  ReviewDoc,
} from './fact-docs.js';

export interface FactStore {
  history: Collection<HistoryDoc>;
  parties: Collection<PartyDoc>;
  links: Collection<LinkDoc>;
  declarations: Collection<DeclarationDoc>;
  certificates: Collection<CertificateDoc>;
  policies: Collection<PolicyDoc>;
  reviews: Collection<ReviewDoc>;
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
          keys: party.jwks.keys.map((jwk) => ({ jwk, addedAt: registeredAt })),
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
      // Declarations signed before the revocation stay valid; the pairs are looked at again.
      return linkedBuyers(event.subject);
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
      const current = (await store.certificates.get(incoming.certificateId))?.certificate;
      const certificate = certificateAfter(
        current,
        incoming,
        event.type === 'org.pdx.certificate.expired.v1',
      );
      if (certificate) {
        await store.certificates.put({
          id: certificate.certificateId,
          holder: certificate.holder,
          certificate,
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
      });
      return [{ buyerId: review.buyerId, partnerId: review.partnerId }];
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
      return [];
    default:
      return assertNever(event);
  }
}
