import { decisionContext, type KeyRevocation, type KeyState, type PublicJwk } from '@pdx/contracts';
import { handleChange } from '@pdx/store';
import type { IntakeDeps } from '../parties/register-party.js';
import { decideAddKey, decideRevokeKey } from './key-decisions.js';

/**
 * Adds a key (rotation: the old ones stay valid until revoked), with the purposes its JWK's
 * `purposes` member states (absent: both).
 */
export async function addKey(
  deps: IntakeDeps,
  partyId: string,
  jwk: PublicJwk,
  actor: string,
): Promise<{ kind: 'added' | 'unchanged'; key: KeyState }> {
  const context = decisionContext(deps);
  const outcome = await handleChange(
    deps,
    deps.parties,
    partyId,
    (record) => decideAddKey(record, { partyId, jwk, actor }, context),
    { repeat: 'publish' },
  );
  return { kind: outcome.kind === 'changed' ? 'added' : 'unchanged', key: outcome.value! };
}

/** Revokes a key from an effective time (default now). */
export async function revokeKey(
  deps: IntakeDeps,
  partyId: string,
  kid: string,
  body: KeyRevocation,
  actor: string,
): Promise<{ kind: 'revoked' | 'unchanged'; key: KeyState }> {
  const context = decisionContext(deps);
  const input = {
    partyId,
    kid,
    reason: body.reason,
    actor,
    ...(body.revokedFrom === undefined ? {} : { revokedFrom: body.revokedFrom }),
  };
  const outcome = await handleChange(
    deps,
    deps.parties,
    partyId,
    (record) => decideRevokeKey(record, input, context),
    { repeat: 'publish' },
  );
  return { kind: outcome.kind === 'changed' ? 'revoked' : 'unchanged', key: outcome.value! };
}
