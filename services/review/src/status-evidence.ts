import type { Certificate, PartnerDecision, PartnerStatusView, ReviewRecord } from '@pdx/contracts';
import type { FactStore } from './facts/apply-fact-event.js';

/**
 * A decision with the evidence it rests on, so a buyer can keep one signed document: the
 * certificates it cites (with the issuer's original JWS when attested), the declaration as
 * the partner signed it, and the review records as the buyer made them.
 */
export async function statusWithEvidence(
  facts: FactStore,
  decision: PartnerDecision,
): Promise<PartnerStatusView> {
  const { buyerId, partnerId } = decision;
  const certificates: Certificate[] = [];
  const reviews: ReviewRecord[] = [];
  let declaration: PartnerStatusView['evidence']['declaration'];
  for (const ground of decision.basis) {
    if (ground.kind === 'certificate' && ground.certificateId !== undefined) {
      const doc = await facts.certificates.get(ground.certificateId);
      if (doc) certificates.push(doc.certificate);
    } else if (ground.kind === 'declaration' && ground.declarationId !== undefined) {
      const doc = await facts.declarations.get(`${partnerId}~${ground.declarationId}`);
      if (doc) declaration = { declarationId: ground.declarationId, jws: doc.jws };
    } else if (ground.kind === 'review' && ground.reviewId !== undefined) {
      const record = (await facts.reviews.get(`${buyerId}~${ground.reviewId}`))?.record;
      if (record) reviews.push(record);
    }
  }
  return { decision, evidence: { certificates, ...(declaration ? { declaration } : {}), reviews } };
}
