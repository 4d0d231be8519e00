import {
  decisionContext,
  PdxError,
  type PdxEvent,
  pointer,
  type RecognitionPolicy,
  type RecognitionPolicyUpdate,
} from '@pdx/contracts';
import type { Principal } from '@pdx/http';
import {
  type Catalogues,
  DEFAULT_ALERT_THRESHOLDS_DAYS,
  DEFAULT_DIGEST_THRESHOLD,
  defaultRecognisedSchemes,
} from '@pdx/schemes';
import { type Collection, handleChange, type OutboxRecord } from '@pdx/store';
import type { IntakeDeps } from '../parties/register-party.js';
import { decidePolicy, policyContent } from './recognition-policy-decisions.js';

/** A buyer's policy as set through the API; the id is the buyer's party id. */
export interface PolicyRecord extends OutboxRecord<PdxEvent> {
  policy: RecognitionPolicy;
}

export const policyRecords = { name: 'recognition_policies', indexes: [{ fields: ['pending'] }] } as const;

export interface PolicyDeps extends IntakeDeps {
  policies: Collection<PolicyRecord>;
  catalogues: Catalogues;
}

/**
 * Pure: the policy of a buyer that never set one (version 0): its own country's AEO
 * programme and mutual recognition partners, plus the international schemes.
 */
export function defaultPolicy(
  catalogues: Catalogues,
  buyerId: string,
  country: string,
  effectiveFrom: string,
): RecognitionPolicy {
  return {
    buyerId,
    version: 0,
    origin: 'default',
    schemes: defaultRecognisedSchemes(catalogues, country),
    issuers: {},
    alertThresholdsDays: [...DEFAULT_ALERT_THRESHOLDS_DAYS],
    digestThreshold: DEFAULT_DIGEST_THRESHOLD,
    catalogueVersion: catalogues.schemes.version,
    effectiveFrom,
  };
}

async function buyerRecord(deps: PolicyDeps, buyerId: string) {
  const party = await deps.parties.get(buyerId);
  if (!party?.registration.roles.includes('buyer')) {
    throw new PdxError('PDX_PARTY_NOT_FOUND', `no buyer ${buyerId} is registered`);
  }
  return party;
}

function assertOwnPolicy(caller: Principal, buyerId: string, write: boolean): void {
  if (caller.kind === 'operator' && !write) return;
  if (caller.kind !== 'party' || caller.id !== buyerId) {
    throw new PdxError('PDX_FORBIDDEN', `only ${buyerId} ${write ? 'sets' : 'reads'} its recognition policy`);
  }
}

/** The policy in force for a buyer: the last version it set, or the default. */
export async function currentPolicy(
  deps: PolicyDeps,
  caller: Principal,
  buyerId: string,
): Promise<RecognitionPolicy> {
  assertOwnPolicy(caller, buyerId, false);
  const party = await buyerRecord(deps, buyerId);
  const record = await deps.policies.get(buyerId);
  return (
    record?.policy ?? defaultPolicy(deps.catalogues, buyerId, party.registration.country, party.registeredAt)
  );
}

/** Every scheme and issuer the update names exists, and issuers are registered for their scheme. */
async function checkUpdate(deps: PolicyDeps, update: RecognitionPolicyUpdate): Promise<void> {
  update.schemes.forEach((schemeId, i) => {
    if (!deps.catalogues.byId.has(schemeId)) {
      throw new PdxError('PDX_SCHEME_UNKNOWN', `${schemeId} is not in the scheme catalogue`, {
        pointer: pointer('schemes', i),
      });
    }
  });
  for (const [schemeId, issuers] of Object.entries(update.issuers ?? {})) {
    if (!update.schemes.includes(schemeId)) {
      throw new PdxError(
        'PDX_REQUEST_INVALID',
        `${schemeId} is not among the recognised schemes of this policy`,
        {
          pointer: pointer('issuers', schemeId),
        },
      );
    }
    for (const [i, issuerId] of (issuers ?? []).entries()) {
      const party = await deps.parties.get(issuerId);
      if (!party?.registration.roles.includes('issuer') || !party.registration.issuerOf?.includes(schemeId)) {
        throw new PdxError('PDX_ISSUER_UNKNOWN', `${issuerId} is not a registered issuer of ${schemeId}`, {
          pointer: pointer('issuers', schemeId, i),
        });
      }
    }
  }
}

export type PolicyOutcome = { kind: 'changed' | 'unchanged'; policy: RecognitionPolicy };

/**
 * A buyer replaces its recognition policy (see decidePolicy): its own, as a registered buyer,
 * naming schemes and issuers that exist.
 */
export async function setPolicy(
  deps: PolicyDeps,
  caller: Principal,
  buyerId: string,
  update: RecognitionPolicyUpdate,
  expectedVersion: number | undefined,
): Promise<PolicyOutcome> {
  assertOwnPolicy(caller, buyerId, true);
  await buyerRecord(deps, buyerId);
  await checkUpdate(deps, update);
  const context = decisionContext(deps);
  const input = {
    buyerId,
    content: policyContent(update),
    expectedVersion,
    catalogueVersion: deps.catalogues.schemes.version,
  };
  const outcome = await handleChange(
    deps,
    deps.policies,
    buyerId,
    (current) => decidePolicy(current, input, context),
    { repeat: 'publish' },
  );
  return { kind: outcome.kind, policy: outcome.record!.policy };
}
