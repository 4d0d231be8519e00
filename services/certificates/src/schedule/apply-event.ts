import { assertNever, type CertificateChange, isCertificateChange, type PdxEvent } from '@pdx/contracts';
import { applyLinkEvent } from '@pdx/read-models';
import { changeRecord } from '@pdx/store';
import { evolveAlertPolicy } from './alert-policy.js';
import { reschedule, type ScheduleStore } from './followers.js';
import { decideCertificate } from './schedule-decisions.js';

/**
 * Applies an event to the scheduler's view, idempotently: certificates and links (see
 * @pdx/read-models), buyers' alert thresholds. Whatever changes who must be warned when puts the certificates concerned up
 * for evaluation.
 */
export async function applyScheduleEvent(store: ScheduleStore, event: PdxEvent): Promise<void> {
  if (isCertificateChange(event)) return applyCertificateChange(store, event);
  switch (event.type) {
    case 'org.pdx.relationship.offered.v1':
    case 'org.pdx.relationship.accepted.v1':
    case 'org.pdx.relationship.ended.v1':
      await applyLinkEvent(store.links, event);
      if (event.type === 'org.pdx.relationship.accepted.v1')
        await rescheduleHolder(store, event.data.partnerId);
      return;
    case 'org.pdx.recognition-policy.changed.v1': {
      const { buyerId } = event.data.policy;
      const next = evolveAlertPolicy(await store.policies.get(buyerId), event);
      if (!next) return;
      await store.policies.put(next);
      for (const link of await store.links.find({ buyerId, state: 'accepted' })) {
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

/** A certificate as it now is; the scan writes the same documents when it reschedules (compare-and-set). */
async function applyCertificateChange(store: ScheduleStore, event: CertificateChange): Promise<void> {
  const id = event.data.certificate.certificateId;
  const changed = await changeRecord(store.schedule, id, (doc) => decideCertificate(doc, event), {
    expected: (doc) => ({ version: doc.version }),
  });
  if (changed) await reschedule(store, id);
}

async function rescheduleHolder(store: ScheduleStore, holder: string): Promise<void> {
  for (const doc of await store.schedule.find({ holder })) await reschedule(store, doc.id);
}
