import {
  type CertificateClaim,
  type ClaimConfirmation,
  checkValidityWindow,
  contentHash,
  decisionContext,
  PdxError,
  type PdxEvent,
  relationshipId,
} from '@pdx/contracts';
import { type AttestationIssuer, type VerificationReport, verifyAttestation } from '@pdx/crypto';
import { type Principal, requireRole } from '@pdx/http';
import { type Catalogues, certificateId, checkCertificateContent } from '@pdx/schemes';
import { type ChangeOutcome, type Collection, type Decision, handleChange } from '@pdx/store';
import { checkKeyAtReceipt, receiptTime } from '../keys/key-at-receipt.js';
import type { RelationshipDeps } from '../relationships/relationships.js';
import {
  decideAttestation,
  decideClaim,
  decideConfirmation,
  decideStatusChange,
  type StatusAction,
} from './certificate-decisions.js';
import type { CertificateRecord } from './certificate-record.js';

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

/** What the handler did, as the routes answer it (a repeat once its events are in the log). */
function outcomeOf(
  outcome: ChangeOutcome<CertificateRecord, PdxEvent>,
  report?: VerificationReport,
): CertificateOutcome {
  const kind = outcome.kind === 'unchanged' ? 'unchanged' : outcome.created ? 'created' : 'changed';
  return { kind, record: outcome.record!, ...(report ? { report } : {}) };
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
  const by = requireRole(caller, 'submitting an attestation');
  if (by !== a.issuer && by !== a.holder) {
    throw new PdxError('PDX_FORBIDDEN', 'an attestation is submitted by its issuer or by its holder');
  }
  if (!(await deps.parties.get(a.holder))) {
    throw new PdxError('PDX_HOLDER_UNKNOWN', `no party ${a.holder} is registered`, { pointer: '/holder' });
  }
  const id = certificateId(a.schemeId, a.number);
  const hash = contentHash(a);
  const context = decisionContext(deps);
  const outcome = await handleChange(
    deps,
    deps.certificates,
    id,
    (current) => decideAttestation(current, { id, verified, contentHash: hash, by }, context),
    {
      // Unless it is the recorded attestation again (answered as before), the issuer's key is
      // checked once more with the time of receipt: a key compromised before attests nothing new.
      load: (current) => {
        checkKeyAtReceipt(
          verified,
          issuer?.keys ?? [],
          verified.issuedAt,
          receiptTime(
            current && { contentHash: current.contentHash, receivedAt: current.attestationReceivedAt },
            hash,
            context.now,
          ),
        );
      },
      repeat: 'publish',
    },
  );
  return outcomeOf(outcome, verified.report);
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
  const holder = requireRole(caller, 'claiming a certificate');
  const violation = checkCertificateContent(deps.catalogues, claim);
  if (violation) throw new PdxError(violation.code, violation.detail, { pointer: violation.pointer });
  const window = checkValidityWindow(
    {
      from: { at: claim.validFrom, pointer: '/validFrom' },
      ...(claim.validUntil === undefined ? {} : { until: { at: claim.validUntil, pointer: '/validUntil' } }),
    },
    deps.clock.now(),
    { maxAheadMs: policy.maxAheadMs },
  );
  if (window) throw new PdxError(window.code, window.detail, { pointer: window.pointer });
  const id = certificateId(claim.schemeId, claim.number);
  const input = { id, claim, contentHash: contentHash(claim), holder };
  const context = decisionContext(deps);
  return outcomeOf(
    await handleChange(deps, deps.certificates, id, (current) => decideClaim(current, input, context), {
      repeat: 'publish',
    }),
  );
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

/** To a caller who may not see it, a certificate does not exist, whatever the caller may do. */
async function checkVisible(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  record: CertificateRecord | undefined,
): Promise<void> {
  if (!record || !(await visible(deps, caller, record))) {
    throw new PdxError('PDX_CERTIFICATE_NOT_FOUND', `no certificate ${id} is visible to you`);
  }
}

/**
 * A change a party makes to a certificate it sees (anyone else is told there is none, and an
 * operator, who sees every certificate, is told the change needs a party): `load` reads what
 * else the decision needs, again on every attempt.
 */
async function changeSeen<C>(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  what: string,
  load: (record: CertificateRecord, by: string) => C | Promise<C>,
  decide: (current: CertificateRecord | undefined, loaded: C) => Decision<CertificateRecord, PdxEvent>,
): Promise<CertificateOutcome> {
  return outcomeOf(
    await handleChange(deps, deps.certificates, id, decide, {
      load: async (current) => {
        await checkVisible(deps, caller, id, current);
        return load(current!, requireRole(caller, what));
      },
      repeat: 'publish',
    }),
  );
}

const gerund = { suspend: 'suspending', reinstate: 'reinstating', withdraw: 'withdrawing' } as const;

/** Suspension, reinstatement, withdrawal (see decideStatusChange). */
export async function changeCertificateStatus(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  action: StatusAction,
  reason: string,
): Promise<CertificateOutcome> {
  const context = decisionContext(deps);
  return changeSeen(
    deps,
    caller,
    id,
    `${gerund[action]} a certificate`,
    (_record, by) => by,
    (current, by) => decideStatusChange(current, { id, action, reason, by }, context),
  );
}

/** A linked buyer's reviewer confirms a claimed certificate (see decideConfirmation). */
export async function confirmClaim(
  deps: CertificateDeps,
  caller: Principal,
  id: string,
  confirmation: ClaimConfirmation,
): Promise<CertificateOutcome> {
  const context = decisionContext(deps);
  return changeSeen(
    deps,
    caller,
    id,
    'confirming a claim',
    async (record, buyerId) => ({
      buyerId,
      linked: (await deps.relationships.get(relationshipId(buyerId, record.holder)))?.state === 'accepted',
    }),
    (current, loaded) => decideConfirmation(current, { id, confirmation, ...loaded }, context),
  );
}
