import {
  type Certificate,
  type CertificateClaim,
  type ClaimConfirmation,
  contentHash,
  createEvent,
  deterministicEventId,
  PdxError,
  type PdxEvent,
  relationshipId,
} from '@pdx/contracts';
import { type AttestationIssuer, type VerificationReport, verifyAttestation } from '@pdx/crypto';
import type { Principal } from '@pdx/http';
import { isoNow } from '@pdx/runtime';
import {
  type Catalogues,
  certificateId,
  checkCertificateContent,
  normaliseCertificateNumber,
} from '@pdx/schemes';
import type { Collection } from '@pdx/store';
import { commitChange, publishOutbox } from '@pdx/store';
import { checkKeyAtReceipt, receiptTime } from '../keys/key-at-receipt.js';
import type { RelationshipDeps } from '../relationships/relationships.js';
import {
  decideAttestation,
  decideClaim,
  decideStatusChange,
  type StatusAction,
  stateAfter,
} from './certificate-decisions.js';
import type { CertificateAction, CertificateRecord } from './certificate-record.js';

export interface CertificateDeps extends RelationshipDeps {
  certificates: Collection<CertificateRecord>;
  catalogues: Catalogues;
}

export interface CertificatePolicy {
  /** How far ahead validFrom may be. */
  maxAheadMs: number;
  /** Tolerated clock difference for an attestation's issuedAt. */
  skewMs: number;
}

export type CertificateOutcome = {
  kind: 'created' | 'changed' | 'unchanged';
  record: CertificateRecord;
  report?: VerificationReport;
};

type Unversioned = Omit<CertificateRecord, 'version' | 'outbox' | 'pending'>;

const eventTypes = {
  register: 'org.pdx.certificate.registered.v1',
  renew: 'org.pdx.certificate.renewed.v1',
  suspend: 'org.pdx.certificate.suspended.v1',
  reinstate: 'org.pdx.certificate.reinstated.v1',
  withdraw: 'org.pdx.certificate.withdrawn.v1',
  confirm: 'org.pdx.certificate.claim-confirmed.v1',
} as const;

function eventFor(
  deps: CertificateDeps,
  certificate: Certificate,
  action: CertificateAction,
  changedBy: string,
  extra: { reason?: string; previous?: Certificate; buyerId?: string },
): PdxEvent {
  const changedAt = isoNow(deps.clock);
  const base = {
    id: deterministicEventId('certificate', certificate.certificateId, String(certificate.version), action),
    subject: certificate.holder,
    source: deps.source,
    time: deps.clock.now(),
  };
  const common = { certificate, changedAt, changedBy };
  const reason = extra.reason ?? '';
  switch (action) {
    case 'register':
      return createEvent(deps.registry, { ...base, type: eventTypes.register, data: common });
    case 'renew': {
      const p = extra.previous!;
      const previous = {
        validFrom: p.validFrom,
        trust: p.trust,
        ...(p.validUntil === undefined ? {} : { validUntil: p.validUntil }),
      };
      return createEvent(deps.registry, { ...base, type: eventTypes.renew, data: { ...common, previous } });
    }
    case 'suspend':
      return createEvent(deps.registry, { ...base, type: eventTypes.suspend, data: { ...common, reason } });
    case 'reinstate':
      return createEvent(deps.registry, { ...base, type: eventTypes.reinstate, data: { ...common, reason } });
    case 'withdraw':
      return createEvent(deps.registry, { ...base, type: eventTypes.withdraw, data: { ...common, reason } });
    case 'confirm':
      return createEvent(deps.registry, {
        ...base,
        type: eventTypes.confirm,
        data: { ...common, buyerId: extra.buyerId! },
      });
  }
}

/** Writes the change with its event through the outbox; undefined when a concurrent change won. */
async function commit(
  deps: CertificateDeps,
  before: CertificateRecord | undefined,
  after: Unversioned,
  extra: { reason?: string; buyerId?: string } = {},
): Promise<CertificateRecord | undefined> {
  const version = (before?.version ?? 0) + 1;
  const certificate = { ...after.certificate, version };
  const event = eventFor(deps, certificate, after.lastChange.action, after.lastChange.by, {
    ...extra,
    ...(before ? { previous: before.certificate } : {}),
  });
  const staged = { ...after, certificate };
  if ((await commitChange(deps, deps.certificates, before, staged, [event])) === 'stale') return undefined;
  return { ...staged, version, outbox: [], pending: false };
}

async function unchanged(deps: CertificateDeps, record: CertificateRecord, report?: VerificationReport) {
  await publishOutbox(deps, deps.certificates, record);
  return { kind: 'unchanged' as const, record, ...(report ? { report } : {}) };
}

function requireParty(caller: Principal, what: string): string {
  if (caller.kind !== 'party')
    throw new PdxError('PDX_FORBIDDEN', `${what} is done by a party, not an operator`);
  return caller.id;
}

async function issuerOf(deps: CertificateDeps, partyId: string): Promise<AttestationIssuer | undefined> {
  const party = await deps.parties.get(partyId);
  if (!party) return undefined;
  return {
    partyId,
    keys: party.keys,
    isIssuer: party.registration.roles.includes('issuer'),
    schemes: party.registration.issuerOf ?? [],
  };
}

/**
 * An issuer's attestation (ISO 28001 4.3/4.4: the certificate an exemption may rest on),
 * submitted by the issuer or by the holder. Verified first; then the holder must be a
 * registered party; then, unless it is the recorded attestation again (answered as before),
 * the issuer's key is checked once more with the time of receipt, so a key compromised
 * before attests nothing new; then the number must be free in the scheme; then registered, or renewed when a later
 * attestation replaces the recorded one.
 */
export async function submitAttestation(
  deps: CertificateDeps,
  caller: Principal,
  jws: string,
  policy: CertificatePolicy,
): Promise<CertificateOutcome> {
  let issuer: AttestationIssuer | undefined;
  const lookupIssuer = async (id: string) => {
    issuer = await issuerOf(deps, id);
    return issuer;
  };
  const verified = await verifyAttestation(jws, lookupIssuer, deps.registry, {
    now: deps.clock.now(),
    maxAheadMs: policy.maxAheadMs,
    skewMs: policy.skewMs,
    checkContent: (a) => checkCertificateContent(deps.catalogues, a),
  });
  const a = verified.attestation;
  if (caller.kind !== 'party' || (caller.id !== a.issuer && caller.id !== a.holder)) {
    throw new PdxError('PDX_FORBIDDEN', 'an attestation is submitted by its issuer or by its holder');
  }
  if (!(await deps.parties.get(a.holder))) {
    throw new PdxError('PDX_HOLDER_UNKNOWN', `no party ${a.holder} is registered`, { pointer: '/holder' });
  }
  const id = certificateId(a.schemeId, a.number);
  const hash = contentHash(a);
  for (;;) {
    const current = await deps.certificates.get(id);
    checkKeyAtReceipt(
      verified,
      issuer?.keys ?? [],
      verified.issuedAt,
      receiptTime(
        current && { contentHash: current.contentHash, receivedAt: current.attestationReceivedAt },
        hash,
        deps.clock.now(),
      ),
    );
    const decision = decideAttestation(current, a.holder, hash, verified.issuedAt);
    if (decision === 'repeat') return unchanged(deps, current!, verified.report);
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
      // A renewal does not lift a suspension: only the issuer's reinstatement does.
      state: current?.certificate.state === 'suspended' ? 'suspended' : 'active',
      attestation: { jws: verified.jws, issuedAt: a.issuedAt, contentHash: hash },
      confirmations: [],
      version: 0,
    };
    const record = await commit(deps, current, {
      id,
      holder: a.holder,
      certificate,
      contentHash: hash,
      attestationReceivedAt: isoNow(deps.clock),
      lastChange: { action: decision, by: caller.id },
    });
    if (record)
      return { kind: decision === 'register' ? 'created' : 'changed', record, report: verified.report };
  }
}

/** A status change or a confirmation keeps the receipt time of the attestation in force. */
function keptReceipt(record: CertificateRecord): Pick<CertificateRecord, 'attestationReceivedAt'> {
  return record.attestationReceivedAt === undefined
    ? {}
    : { attestationReceivedAt: record.attestationReceivedAt };
}

function checkClaimWindow(claim: CertificateClaim, now: number, maxAheadMs: number): void {
  const from = Date.parse(claim.validFrom);
  const fail = (
    code: 'PDX_VALIDITY_INVERTED' | 'PDX_VALIDITY_EXPIRED' | 'PDX_VALIDITY_TOO_FAR_AHEAD',
    detail: string,
    pointer: string,
  ) => {
    throw new PdxError(code, detail, { pointer });
  };
  if (claim.validUntil !== undefined) {
    const until = Date.parse(claim.validUntil);
    if (until <= from) fail('PDX_VALIDITY_INVERTED', 'validUntil is not after validFrom', '/validUntil');
    if (until <= now) fail('PDX_VALIDITY_EXPIRED', `validity ended at ${claim.validUntil}`, '/validUntil');
  }
  if (from > now + maxAheadMs) {
    fail(
      'PDX_VALIDITY_TOO_FAR_AHEAD',
      `validity begins more than ${Math.round(maxAheadMs / 86_400_000)} days ahead`,
      '/validFrom',
    );
  }
}

/**
 * A holder's own statement that it holds a certificate whose issuer is not on the exchange.
 * Recorded as claimed: unverified until a linked buyer's reviewer confirms it.
 */
export async function submitClaim(
  deps: CertificateDeps,
  caller: Principal,
  claim: CertificateClaim,
  policy: CertificatePolicy,
): Promise<CertificateOutcome> {
  const holder = requireParty(caller, 'claiming a certificate');
  const violation = checkCertificateContent(deps.catalogues, claim);
  if (violation) throw new PdxError(violation.code, violation.detail, { pointer: violation.pointer });
  checkClaimWindow(claim, deps.clock.now(), policy.maxAheadMs);
  const id = certificateId(claim.schemeId, claim.number);
  const hash = contentHash(claim);
  for (;;) {
    const current = await deps.certificates.get(id);
    const decision = decideClaim(current, holder, hash);
    if (decision === 'repeat') return unchanged(deps, current!);
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
    const record = await commit(deps, current, {
      id,
      holder,
      certificate,
      contentHash: hash,
      lastChange: { action: decision, by: holder },
    });
    if (record) return { kind: decision === 'register' ? 'created' : 'changed', record };
  }
}

/** Holder, issuer, operators and buyers with an accepted link to the holder see a certificate. */
async function visible(
  deps: CertificateDeps,
  caller: Principal,
  record: CertificateRecord,
): Promise<boolean> {
  if (caller.kind === 'operator') return true;
  const c = record.certificate;
  if (caller.id === c.holder || caller.id === c.issuer) return true;
  return (await deps.relationships.get(relationshipId(caller.id, c.holder)))?.state === 'accepted';
}

async function findVisible(deps: CertificateDeps, caller: Principal, id: string): Promise<CertificateRecord> {
  const record = await deps.certificates.get(id);
  if (!record || !(await visible(deps, caller, record))) {
    throw new PdxError('PDX_CERTIFICATE_NOT_FOUND', `no certificate ${id} is visible to you`);
  }
  return record;
}

/** Suspension, reinstatement, withdrawal: take effect at once (the event's changedAt). */
export async function changeCertificateStatus(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  action: StatusAction,
  reason: string,
): Promise<CertificateOutcome> {
  for (;;) {
    const current = await findVisible(deps, caller, id);
    const by = requireParty(caller, `to ${action} a certificate`);
    if (decideStatusChange(current, by, action, reason, deps.clock.now()) === 'repeat') {
      return unchanged(deps, current);
    }
    const record = await commit(
      deps,
      current,
      {
        id,
        holder: current.holder,
        certificate: { ...current.certificate, state: stateAfter(action) },
        contentHash: current.contentHash,
        ...keptReceipt(current),
        lastChange: { action, by, reason },
      },
      { reason },
    );
    if (record) return { kind: 'changed', record };
  }
}

/** A linked buyer's reviewer confirms a claimed certificate (who, when, evidence). */
export async function confirmClaim(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  confirmation: ClaimConfirmation,
): Promise<CertificateOutcome> {
  for (;;) {
    const current = await findVisible(deps, caller, id);
    const buyer = requireParty(caller, 'confirming a claim');
    const c = current.certificate;
    if ((await deps.relationships.get(relationshipId(buyer, c.holder)))?.state !== 'accepted') {
      throw new PdxError(
        'PDX_FORBIDDEN',
        `only a buyer with an accepted link to ${c.holder} confirms its claims`,
      );
    }
    if (c.trust === 'attested') {
      throw new PdxError(
        'PDX_CERTIFICATE_STATE_CONFLICT',
        'the certificate is attested by its issuer: there is no claim to confirm',
      );
    }
    if (c.state === 'withdrawn') {
      throw new PdxError(
        'PDX_CERTIFICATE_STATE_CONFLICT',
        'the certificate was withdrawn; a withdrawal is final',
      );
    }
    const mine = c.confirmations.find((x) => x.buyerId === buyer);
    if (mine && mine.reviewer === confirmation.reviewer && mine.evidenceRef === confirmation.evidenceRef) {
      return unchanged(deps, current);
    }
    const entry = { buyerId: buyer, ...confirmation, confirmedAt: isoNow(deps.clock) };
    const record = await commit(
      deps,
      current,
      {
        id,
        holder: current.holder,
        certificate: { ...c, confirmations: [...c.confirmations.filter((x) => x.buyerId !== buyer), entry] },
        contentHash: current.contentHash,
        ...keptReceipt(current),
        lastChange: { action: 'confirm', by: buyer },
      },
      { buyerId: buyer },
    );
    if (record) return { kind: 'changed', record };
  }
}
