import {
  type Certificate,
  type CertificateClaim,
  type ClaimConfirmation,
  type DecisionContext,
  decidedEvent,
  deterministicEventId,
  type ErrorCode,
  isoAt,
  PdxError,
  type PdxEvent,
} from '@pdx/contracts';
import type { VerifiedAttestation } from '@pdx/crypto';
import { effectiveState, normaliseCertificateNumber } from '@pdx/schemes';
import type { Decision, Unversioned } from '@pdx/store';
import type { CertificateAction, CertificateRecord } from './certificate-record.js';

export type StatusAction = 'suspend' | 'reinstate' | 'withdraw';

type CertificateDecision = Decision<CertificateRecord, PdxEvent>;

const eventTypes = {
  register: 'org.pdx.certificate.registered.v1',
  renew: 'org.pdx.certificate.renewed.v1',
  suspend: 'org.pdx.certificate.suspended.v1',
  reinstate: 'org.pdx.certificate.reinstated.v1',
  withdraw: 'org.pdx.certificate.withdrawn.v1',
  confirm: 'org.pdx.certificate.claim-confirmed.v1',
} as const;

const refusal = (code: ErrorCode, detail: string, pointer?: string): CertificateDecision => ({
  kind: 'refused',
  error: new PdxError(code, detail, pointer === undefined ? {} : { pointer }),
});
const withdrawn = () =>
  refusal('PDX_CERTIFICATE_STATE_CONFLICT', 'the certificate was withdrawn; a withdrawal is final');

/** The event of a change: the certificate as it now stands, who changed it, when, and why. */
function eventFor(
  context: DecisionContext,
  certificate: Certificate,
  action: CertificateAction,
  changedBy: string,
  extra: { reason?: string; previous?: Certificate; buyerId?: string },
): PdxEvent {
  const base = {
    id: deterministicEventId('certificate', certificate.certificateId, String(certificate.version), action),
    subject: certificate.holder,
  };
  const common = { certificate, changedAt: isoAt(context), changedBy };
  const reason = extra.reason ?? '';
  switch (action) {
    case 'register':
      return decidedEvent(context, { ...base, type: eventTypes.register, data: common });
    case 'renew': {
      const p = extra.previous!;
      const previous = {
        validFrom: p.validFrom,
        trust: p.trust,
        ...(p.validUntil === undefined ? {} : { validUntil: p.validUntil }),
      };
      return decidedEvent(context, { ...base, type: eventTypes.renew, data: { ...common, previous } });
    }
    case 'suspend':
      return decidedEvent(context, { ...base, type: eventTypes.suspend, data: { ...common, reason } });
    case 'reinstate':
      return decidedEvent(context, { ...base, type: eventTypes.reinstate, data: { ...common, reason } });
    case 'withdraw':
      return decidedEvent(context, { ...base, type: eventTypes.withdraw, data: { ...common, reason } });
    case 'confirm':
      return decidedEvent(context, {
        ...base,
        type: eventTypes.confirm,
        data: { ...common, buyerId: extra.buyerId! },
      });
  }
}

/** The change to `next` with its event; the certificate's snapshot carries the record's new version. */
function changeTo(
  current: CertificateRecord | undefined,
  next: Unversioned<CertificateRecord>,
  context: DecisionContext,
  extra: { reason?: string; buyerId?: string } = {},
): CertificateDecision {
  const certificate = { ...next.certificate, version: (current?.version ?? 0) + 1 };
  const event = eventFor(context, certificate, next.lastChange.action, next.lastChange.by, {
    ...extra,
    ...(current ? { previous: current.certificate } : {}),
  });
  return { kind: 'change', next: { ...next, certificate }, events: [event] };
}

/** One number per scheme belongs to one holder. */
function numberTaken(current: CertificateRecord, holder: string): CertificateDecision | undefined {
  if (current.holder === holder) return undefined;
  return refusal(
    'PDX_CERTIFICATE_NUMBER_TAKEN',
    'another holder has a certificate with this number in this scheme',
    '/number',
  );
}

/** A status change or a confirmation keeps the receipt time of the attestation in force. */
function keptReceipt(record: CertificateRecord): Pick<CertificateRecord, 'attestationReceivedAt'> {
  return record.attestationReceivedAt === undefined
    ? {}
    : { attestationReceivedAt: record.attestationReceivedAt };
}

export interface AttestationInput {
  /** The certificate's id in its scheme (certificateId of scheme and number). */
  id: string;
  /** The attestation as verified (signature, key, schema, issuer, scheme, window). */
  verified: VerifiedAttestation;
  contentHash: string;
  /** Who submitted it: its issuer or its holder. */
  by: string;
}

/**
 * What an issuer's attestation does to the certificate on record. New → registered; the same
 * attestation again → unchanged; another holder's number → conflict; an attestation not
 * signed later than the recorded one → stale (an old attestation cannot roll a renewal back);
 * a withdrawn certificate is final; otherwise → renewed (a claim becomes attested). A renewal
 * does not lift a suspension: only the issuer's reinstatement does.
 */
export function decideAttestation(
  current: CertificateRecord | undefined,
  input: AttestationInput,
  context: DecisionContext,
): CertificateDecision {
  const { id, verified, contentHash, by } = input;
  const a = verified.attestation;
  if (current) {
    const taken = numberTaken(current, a.holder);
    if (taken) return taken;
    if (current.contentHash === contentHash) return { kind: 'unchanged' };
    const recorded = current.certificate.attestation;
    if (recorded && Date.parse(recorded.issuedAt) >= verified.issuedAt) {
      return refusal(
        'PDX_ATTESTATION_STALE',
        `an attestation signed at ${recorded.issuedAt} is already recorded; a renewal must be signed later`,
        '/issuedAt',
      );
    }
    if (current.certificate.state === 'withdrawn') return withdrawn();
  }
  const certificate: Certificate = {
    certificateId: id,
    schemeId: a.schemeId,
    number: normaliseCertificateNumber(a.number),
    holder: a.holder,
    trust: 'attested',
    issuer: a.issuer,
    scope: a.scope,
    validFrom: a.validFrom,
    ...(a.validUntil === undefined ? {} : { validUntil: a.validUntil }),
    ...(a.tier === undefined ? {} : { tier: a.tier }),
    state: current?.certificate.state === 'suspended' ? 'suspended' : 'active',
    attestation: { jws: verified.jws, issuedAt: a.issuedAt, contentHash },
    confirmations: [],
    version: 0,
  };
  return changeTo(
    current,
    {
      id,
      holder: a.holder,
      certificate,
      contentHash,
      attestationReceivedAt: isoAt(context),
      lastChange: { action: current ? 'renew' : 'register', by },
    },
    context,
  );
}

export interface ClaimInput {
  id: string;
  claim: CertificateClaim;
  contentHash: string;
  /** The claiming party: the holder. */
  holder: string;
}

/**
 * What a holder's claim does: recorded as claimed, unverified until a linked buyer's reviewer
 * confirms it. Claims never override an issuer's attestation; a changed claim must be
 * confirmed again.
 */
export function decideClaim(
  current: CertificateRecord | undefined,
  input: ClaimInput,
  context: DecisionContext,
): CertificateDecision {
  const { id, claim, contentHash, holder } = input;
  if (current) {
    const taken = numberTaken(current, holder);
    if (taken) return taken;
    if (current.certificate.trust === 'attested') {
      return refusal(
        'PDX_CERTIFICATE_ATTESTED',
        `the certificate is attested by ${current.certificate.issuer}; only its issuer changes it`,
      );
    }
    if (current.contentHash === contentHash) return { kind: 'unchanged' };
    if (current.certificate.state === 'withdrawn') return withdrawn();
  }
  const certificate: Certificate = {
    certificateId: id,
    schemeId: claim.schemeId,
    number: normaliseCertificateNumber(claim.number),
    holder,
    trust: 'claimed',
    issuerName: claim.issuerName,
    scope: claim.scope,
    validFrom: claim.validFrom,
    ...(claim.validUntil === undefined ? {} : { validUntil: claim.validUntil }),
    ...(claim.tier === undefined ? {} : { tier: claim.tier }),
    ...(claim.evidence === undefined ? {} : { evidence: claim.evidence }),
    state: current?.certificate.state === 'suspended' ? 'suspended' : 'active',
    // Confirmations were of the previous content: a changed claim must be confirmed again.
    confirmations: [],
    version: 0,
  };
  return changeTo(
    current,
    {
      id,
      holder,
      certificate,
      contentHash,
      lastChange: { action: current ? 'renew' : 'register', by: holder },
    },
    context,
  );
}

function stateAfter(action: StatusAction): Certificate['state'] {
  switch (action) {
    case 'suspend':
      return 'suspended';
    case 'reinstate':
      return 'active';
    case 'withdraw':
      return 'withdrawn';
  }
}

const notFound = (id: string) =>
  refusal('PDX_CERTIFICATE_NOT_FOUND', `no certificate ${id} is visible to you`);

export interface StatusChangeInput {
  id: string;
  action: StatusAction;
  reason: string;
  /** The party asking (its sight of the certificate is checked by the caller). */
  by: string;
}

/**
 * Suspension, reinstatement, withdrawal: take effect at once (the event's changedAt). An
 * attested certificate is changed only by its issuer; a claim only by its holder, and a claim
 * can only be withdrawn (suspension is an issuer's act). A repeat of the last change with the
 * same reason is answered as before; a change the certificate's state (as of now) does not
 * allow is a conflict.
 */
export function decideStatusChange(
  current: CertificateRecord | undefined,
  input: StatusChangeInput,
  context: DecisionContext,
): CertificateDecision {
  const { id, action, reason, by } = input;
  if (!current) return notFound(id);
  const c = current.certificate;
  const allowed = c.trust === 'attested' ? c.issuer === by : c.holder === by && action === 'withdraw';
  if (!allowed) {
    return refusal(
      'PDX_NOT_CERTIFICATE_ISSUER',
      c.trust === 'attested'
        ? `only the issuer ${c.issuer} may ${action} this certificate`
        : 'a claimed certificate has no issuer on the exchange: its holder can only withdraw it',
    );
  }
  const last = current.lastChange;
  if (last.action === action && last.reason === reason) return { kind: 'unchanged' };
  const state = effectiveState(c, context.now);
  const conflict = (detail: string) => refusal('PDX_CERTIFICATE_STATE_CONFLICT', detail);
  if (state === 'withdrawn') return withdrawn();
  if (action === 'suspend' && state === 'suspended') return conflict('the certificate is already suspended');
  if (action === 'suspend' && state === 'expired')
    return conflict('the certificate has expired; there is nothing to suspend');
  if (action === 'reinstate' && state !== 'suspended')
    return conflict('only a suspended certificate can be reinstated');
  return changeTo(
    current,
    {
      id,
      holder: current.holder,
      certificate: { ...c, state: stateAfter(action) },
      contentHash: current.contentHash,
      ...keptReceipt(current),
      lastChange: { action, by, reason },
    },
    context,
    { reason },
  );
}

export interface ConfirmationInput {
  id: string;
  confirmation: ClaimConfirmation;
  /** The confirming buyer. */
  buyerId: string;
  /** Whether the buyer has an accepted link to the holder, as read with the record. */
  linked: boolean;
}

/**
 * A linked buyer's reviewer confirms a claimed certificate (who, when, evidence); the same
 * confirmation again changes nothing, another one replaces the buyer's earlier one.
 */
export function decideConfirmation(
  current: CertificateRecord | undefined,
  input: ConfirmationInput,
  context: DecisionContext,
): CertificateDecision {
  const { id, confirmation, buyerId, linked } = input;
  if (!current) return notFound(id);
  const c = current.certificate;
  if (!linked) {
    return refusal('PDX_FORBIDDEN', `only a buyer with an accepted link to ${c.holder} confirms its claims`);
  }
  if (c.trust === 'attested') {
    return refusal(
      'PDX_CERTIFICATE_STATE_CONFLICT',
      'the certificate is attested by its issuer: there is no claim to confirm',
    );
  }
  if (c.state === 'withdrawn') return withdrawn();
  const mine = c.confirmations.find((x) => x.buyerId === buyerId);
  if (mine && mine.reviewer === confirmation.reviewer && mine.evidenceRef === confirmation.evidenceRef) {
    return { kind: 'unchanged' };
  }
  const entry = { buyerId, ...confirmation, confirmedAt: isoAt(context) };
  return changeTo(
    current,
    {
      id,
      holder: current.holder,
      certificate: { ...c, confirmations: [...c.confirmations.filter((x) => x.buyerId !== buyerId), entry] },
      contentHash: current.contentHash,
      ...keptReceipt(current),
      lastChange: { action: 'confirm', by: buyerId },
    },
    context,
    { buyerId },
  );
}
