import {
  type DecisionContext,
  decidedEvent,
  declarationKey,
  deterministicEventId,
  isoAt,
  PdxError,
  type PdxEvent,
} from '@pdx/contracts';
import type { VerifiedDeclaration } from '@pdx/crypto';
import type { Decision } from '@pdx/store';
import type { DeclarationRecord } from './declaration-record.js';

export interface DeclarationSubmission {
  /** The declaration as verified (signature, key, schema, issuer, window), with its report. */
  verified: VerifiedDeclaration;
  /** The declaration's content hash: what tells a resubmission from a conflict. */
  contentHash: string;
}

/**
 * Recording a verified, correctly addressed declaration: new → recorded, with
 * declaration.submitted.v1 carrying the original JWS and the report; the same declarationId
 * with the same content → unchanged (answered as before, whatever changed since); with
 * other content → PDX_DECLARATION_CONFLICT: a declaration is superseded by a new one, never
 * overwritten.
 */
export function decideDeclaration(
  existing: DeclarationRecord | undefined,
  input: DeclarationSubmission,
  context: DecisionContext,
): Decision<DeclarationRecord, PdxEvent> {
  const { verified, contentHash } = input;
  const { declaration, report } = verified;
  const { issuer, declarationId } = declaration;
  if (existing) {
    if (existing.contentHash === contentHash) return { kind: 'unchanged' };
    return {
      kind: 'refused',
      error: new PdxError(
        'PDX_DECLARATION_CONFLICT',
        `${issuer} already submitted a different declaration ${declarationId}`,
        { pointer: '/declarationId' },
      ),
    };
  }
  const submittedAt = isoAt(context);
  const eventId = deterministicEventId('declaration.submitted.v1', issuer, declarationId, contentHash);
  const event = decidedEvent(context, {
    type: 'org.pdx.declaration.submitted.v1',
    id: eventId,
    subject: issuer,
    data: {
      declarationId,
      issuer,
      recipients: declaration.recipients,
      jws: verified.jws,
      declaration,
      contentHash,
      submittedAt,
      ...(declaration.supersedes !== undefined ? { supersedes: declaration.supersedes } : {}),
      verification: report,
    },
  });
  return {
    kind: 'change',
    next: {
      id: declarationKey(issuer, declarationId),
      issuer,
      declarationId,
      recipients: declaration.recipients,
      issuedAt: declaration.issuedAt,
      contentHash,
      submittedAt,
      eventId,
    },
    events: [event],
  };
}
