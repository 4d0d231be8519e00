import { contentHash, decisionContext, declarationKey, pointer, relationshipId } from '@pdx/contracts';
import {
  type KeyRecord,
  VerificationRefused,
  type VerificationReport,
  type VerifiedDeclaration,
} from '@pdx/crypto';
import { type Collection, handleChange } from '@pdx/store';
import { checkKeyAtReceipt, receiptTime } from '../keys/key-at-receipt.js';
import type { RelationshipRecord } from '../relationships/relationship-record.js';
import type { RelationshipDeps } from '../relationships/relationships.js';
import { decideDeclaration } from './declaration-decisions.js';
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
 * After verification, for a declaration not recorded yet: every recipient must be a
 * registered party, and a buyer with an accepted link to the issuer; `supersedes` must name an
 * earlier declaration of the same issuer.
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
 * knows them now), as decideDeclaration decides. A new one has its key checked once more with
 * the time of receipt, so a key compromised before it signs nothing new, and its addressing
 * checked; an identical resubmission is answered as before. Both checks depend on what is
 * recorded, so they run on every attempt; then declaration.submitted.v1 goes out with the
 * original JWS, and only then does this resolve.
 */
export async function submitDeclaration(
  deps: DeclarationDeps,
  verified: VerifiedDeclaration,
  signerKeys: readonly KeyRecord[],
): Promise<SubmitOutcome> {
  const { declaration, report } = verified;
  const { issuer, declarationId } = declaration;
  const hash = contentHash(declaration);
  const context = decisionContext(deps);
  const outcome = await handleChange(
    deps,
    deps.declarations,
    declarationKey(issuer, declarationId),
    (existing) => decideDeclaration(existing, { verified, contentHash: hash }, context),
    {
      load: async (existing) => {
        checkKeyAtReceipt(
          verified,
          signerKeys,
          Date.parse(declaration.issuedAt),
          receiptTime(
            existing && { contentHash: existing.contentHash, receivedAt: existing.submittedAt },
            hash,
            context.now,
          ),
        );
        // An identical resubmission is answered as before, whatever changed since (a link ended).
        if (!existing) await checkAddressing(deps, verified);
      },
      repeat: 'publish',
    },
  );
  return { kind: outcome.kind === 'changed' ? 'accepted' : 'unchanged', declarationId, issuer, report };
}
