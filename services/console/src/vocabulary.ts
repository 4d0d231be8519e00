import {
  KeyPurposesSchema,
  PartnerDecisionSchema,
  PartyIdentifierSchema,
  PartyRegistrationSchema,
  ScopeOfServiceSchema,
} from '@pdx/contracts/schemas';
import type { Schemas } from './api.js';
import { type MessageKey, t } from './messages.js';

/**
 * The lists of values the pages offer, each taken once from the schema the exchange checks
 * requests against (so a value added there shows here), in the schema's order.
 */

export type ServiceFunction = Schemas['ScopeOfService']['functions'][number];
export type RouteMode = NonNullable<NonNullable<Schemas['ScopeOfService']['routes']>[number]['mode']>;
export type PartnerStatus = Schemas['PartnerDecision']['status'];
export type PartyRole = Schemas['PartyRegistration']['roles'][number];
export type IdentifierScheme = Schemas['PartyIdentifier']['scheme'];
export type Purpose = NonNullable<Schemas['KeyState']['purposes']>[number];
export type CertificateState = Schemas['CertificateView']['effectiveState'];
export type ReviewMethod = Schemas['ReviewRecord']['method'];

/** The functions of a scope of service (ISO 28001 3.17). */
export const serviceFunctions = ScopeOfServiceSchema.properties.functions.items
  .enum as readonly ServiceFunction[];
/** The modes of a route. */
export const routeModes = ScopeOfServiceSchema.properties.routes.items.properties.mode
  .enum as readonly RouteMode[];
/** A partner's statuses: settled first, then what needs action. */
export const partnerStatuses = PartnerDecisionSchema.properties.status.enum as readonly PartnerStatus[];
export const partyRoles = PartyRegistrationSchema.properties.roles.items.enum as readonly PartyRole[];
export const identifierSchemes = PartyIdentifierSchema.properties.scheme.enum as readonly IdentifierScheme[];
/** What a key is for. */
export const keyPurposes = KeyPurposesSchema.items.enum as readonly Purpose[];

/** A function in words ("ocean carrier"). */
export const functionWord = (f: ServiceFunction): string => t(`declare.fn.${f}` as MessageKey);
/** A certificate's state in words ("not yet valid"). */
export const certificateStateWord = (state: CertificateState): string =>
  t(`issuer.state.${state}` as MessageKey);
/** A review method in words ("site visit"). */
export const methodWord = (method: ReviewMethod): string => t(`policy.method.${method}` as MessageKey);
