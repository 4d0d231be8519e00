import { assertNever, type PdxEvent, relationshipStateAfter } from '@pdx/contracts';
import { certificateAfter } from '@pdx/schemes';
import { reschedule, type ScheduleStore } from './followers.js';
import { NEVER } from './schedule-docs.js';

/**
 * Applies an event to the scheduler's view, idempotently: certificates (a newer version
 * replaces the older; an expiry marks it expired), accepted and ended links, buyers' alert
 * thresholds. Whatever changes who must be warned when puts the certificates concerned up
 * for evaluation.
 */
export async function applyScheduleEvent(store: ScheduleStore, event: PdxEvent): Promise<void> {
  switch (event.type) {
    case 'org.pdx.certificate.registered.v1':
    case 'org.pdx.certificate.renewed.v1':
    case 'org.pdx.certificate.suspended.v1':
    case 'org.pdx.certificate.reinstated.v1':
    case 'org.pdx.certificate.withdrawn.v1':
    case 'org.pdx.certificate.claim-confirmed.v1':
    case 'org.pdx.certificate.expired.v1': {
      const incoming = event.data.certificate;
      for (;;) {
        const doc = await store.schedule.get(incoming.certificateId);
        const certificate = certificateAfter(
          doc?.certificate,
          incoming,
          event.type === 'org.pdx.certificate.expired.v1',
        );
        if (!certificate) return;
        if (!doc) {
          const inserted = await store.schedule.insert({
            id: certificate.certificateId,
            holder: certificate.holder,
            certificate,
            scheduled: false,
            nextDueMs: NEVER,
            version: 1,
          });
          if (inserted === 'exists') continue;
        } else if (
          !(await store.schedule.replaceIf(
            { ...doc, certificate, version: doc.version + 1 },
            { version: doc.version },
          ))
        ) {
          continue;
        }
        return reschedule(store, certificate.certificateId);
      }
    }
    case 'org.pdx.relationship.offered.v1':
    case 'org.pdx.relationship.accepted.v1':
    case 'org.pdx.relationship.ended.v1': {
      const { relationshipId, buyerId, partnerId } = event.data;
      const state = relationshipStateAfter(event.type);
      await store.links.put({ id: relationshipId, buyerId, partnerId, state });
      if (state === 'accepted') await rescheduleHolder(store, partnerId);
      return;
    }
    case 'org.pdx.recognition-policy.changed.v1': {
      const { policy } = event.data;
      const current = await store.policies.get(policy.buyerId);
      if (current && current.version >= policy.version) return;
      await store.policies.put({
        id: policy.buyerId,
        version: policy.version,
        thresholdsDays: policy.alertThresholdsDays,
      });
      for (const link of await store.links.find({ buyerId: policy.buyerId, state: 'accepted' })) {
        await rescheduleHolder(store, link.partnerId);
      }
      return;
    }
    case 'org.pdx.review.recorded.v1':
    case 'org.pdx.incident.recorded.v1':
    case 'org.pdx.review-task.opened.v1':
    case 'org.pdx.review-task.closed.v1':
    case 'org.pdx.partner.status.changed.v1':
    case 'org.pdx.exemption.granted.v1':
    case 'org.pdx.exemption.revoked.v1':
    case 'org.pdx.exemption.basis-changed.v1':
    case 'org.pdx.certificate.expiring.v1':
    case 'org.pdx.party.registered.v1':
    case 'org.pdx.party.key-added.v1':
    case 'org.pdx.party.key-revoked.v1':
    case 'org.pdx.declaration.submitted.v1':
      return;
    default:
      return assertNever(event);
  }
}

async function rescheduleHolder(store: ScheduleStore, holder: string): Promise<void> {
  for (const doc of await store.schedule.find({ holder })) await reschedule(store, doc.id);
}
