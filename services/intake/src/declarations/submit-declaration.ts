import {
  contentHash,
  createEvent,
  declarationKey,
  deterministicEventId,
  PdxError,
  pointer,
  relationshipId,
} from '@pdx/contracts';
import {
  type KeyRecord,
  VerificationRefused,
  type VerificationReport,
  type VerifiedDeclaration,
} from '@pdx/crypto';
import { isoNow } from '@pdx/runtime';
import type { Collection } from '@pdx/store';
import { commitChange, publishOutbox } from '@pdx/store';
import { checkKeyAtReceipt, receiptTime } from '../keys/key-at-receipt.js';
import type { RelationshipRecord } from '../relationships/relationship-record.js';
import type { RelationshipDeps } from '../relationships/relationships.js';
import type { DeclarationRecord } from './declaration-record.js';

export interface DeclarationDeps extends RelationshipDeps {
  declarations: Collection<DeclarationRecord>;
}

export interface SubmitOutcome {
  kind: 'accepted' | 'unchanged';
  declarationId: string;
  issuer: string;
  report: VerificationReport;
}

async function linked(
  relationships: Collection<RelationshipRecord>,
  buyer: string,
  partner: string,
): Promise<boolean> {
  return (await relationships.get(relationshipId(buyer, partner)))?.state === 'accepted';
}

/**
 * After verification: every recipient must be a registered party, and a buyer with an
 * accepted link to the issuer; `supersedes` must name an earlier declaration of the same issuer; the same declarationId
 * again is idempotent with identical content and a conflict otherwise. Then
 * declaration.submitted.v1 goes out with the original JWS, and only then does this resolve.
 */
async function checkAddressing(deps: DeclarationDeps, verified: VerifiedDeclaration): Promise<void> {
  const { declaration, report } = verified;
  const { issuer, declarationId } = declaration;
  const refuse = (
    code: 'PDX_RECIPIENT_UNKNOWN' | 'PDX_RECIPIENT_NOT_LINKED' | 'PDX_SUPERSEDED_UNKNOWN',
    message: string,
    at: string,
  ) => {
    throw new VerificationRefused(code, message, report, [{ pointer: at, detail: message }]);
  };
  // Unknown ids first, for every recipient: a typo is the mistake to fix before any link.
  // Telling the two apart reveals nothing: any caller may read a party.
  for (const [i, recipient] of declaration.recipients.entries()) {
    if (!(await deps.parties.get(recipient))) {
      refuse(
        'PDX_RECIPIENT_UNKNOWN',
        `${recipient} is not a party registered on the exchange: address the declaration to your buyers' party ids`,
        pointer('recipients', i),
      );
    }
  }
  for (const [i, recipient] of declaration.recipients.entries()) {
    if (!(await linked(deps.relationships, recipient, issuer))) {
      refuse(
        'PDX_RECIPIENT_NOT_LINKED',
        `${recipient} has no accepted business relationship with ${issuer}`,
        pointer('recipients', i),
      );
    }
  }
  const supersedes = declaration.supersedes;
  if (supersedes !== undefined) {
    if (supersedes === declarationId || !(await deps.declarations.get(declarationKey(issuer, supersedes)))) {
      refuse(
        'PDX_SUPERSEDED_UNKNOWN',
        `${issuer} has no declaration ${supersedes} to supersede`,
        '/supersedes',
      );
    }
  }
}

/**
 * Records a verified declaration, signed with one of `signerKeys` (the issuer's keys as intake
 * knows them now). A new one has its key checked once more with the time of receipt, so a key
 * compromised before it signs nothing new; an identical resubmission is answered as before.
 */
export async function submitDeclaration(
  deps: DeclarationDeps,
  verified: VerifiedDeclaration,
  signerKeys: readonly KeyRecord[],
): Promise<SubmitOutcome> {
  const { declaration, report } = verified;
  const { issuer, declarationId } = declaration;
  const hash = contentHash(declaration);
  const id = declarationKey(issuer, declarationId);
  for (;;) {
    // An identical resubmission is answered as before, whatever changed since (a link ended).
    const existing = await deps.declarations.get(id);
    checkKeyAtReceipt(
      verified,
      signerKeys,
      Date.parse(declaration.issuedAt),
      receiptTime(
        existing && { contentHash: existing.contentHash, receivedAt: existing.submittedAt },
        hash,
        deps.clock.now(),
      ),
    );
    if (existing) {
      if (existing.contentHash !== hash) {
        throw new PdxError(
          'PDX_DECLARATION_CONFLICT',
          `${issuer} already submitted a different declaration ${declarationId}`,
          {
            pointer: '/declarationId',
          },
        );
      }
      await publishOutbox(deps, deps.declarations, existing);
      return { kind: 'unchanged', declarationId, issuer, report };
    }
    await checkAddressing(deps, verified);
    const submittedAt = isoNow(deps.clock);
    const eventId = deterministicEventId('declaration.submitted.v1', issuer, declarationId, hash);
    const event = createEvent(deps.registry, {
      type: 'org.pdx.declaration.submitted.v1',
      id: eventId,
      subject: issuer,
      source: deps.source,
      time: deps.clock.now(),
      data: {
        declarationId,
        issuer,
        recipients: declaration.recipients,
        jws: verified.jws,
        declaration,
        contentHash: hash,
        submittedAt,
        ...(declaration.supersedes !== undefined ? { supersedes: declaration.supersedes } : {}),
        verification: report,
      },
    });
    const after = {
      id,
      issuer,
      declarationId,
      recipients: declaration.recipients,
      issuedAt: declaration.issuedAt,
      contentHash: hash,
      submittedAt,
      eventId,
    };
    if ((await commitChange(deps, deps.declarations, undefined, after, [event])) === 'committed') {
      return { kind: 'accepted', declarationId, issuer, report };
    }
  }
}
