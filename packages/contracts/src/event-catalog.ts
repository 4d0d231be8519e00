import { type CloudEvent, checkCloudEvent, isInData, parseCloudEvent, toCloudEvent } from './cloudevent.js';
import { readJsonText } from './cloudevent-text.js';
import { isAbsoluteUri } from './cloudevent-types.js';
import { PdxError } from './errors.js';
import type {
  CertificateClaimConfirmedV1,
  CertificateExpiredV1,
  CertificateExpiringV1,
  CertificateRegisteredV1,
  CertificateReinstatedV1,
  CertificateRenewedV1,
  CertificateSuspendedV1,
  CertificateWithdrawnV1,
  DeclarationSubmittedV1,
  ExemptionBasisChangedV1,
  ExemptionGrantedV1,
  ExemptionRevokedV1,
  IncidentRecordedV1,
  PartnerStatusChangedV1,
  PartyKeyAddedV1,
  PartyKeyRevokedV1,
  PartyRegisteredV1,
  RecognitionPolicyChangedV1,
  RelationshipAcceptedV1,
  RelationshipEndedV1,
  RelationshipOfferedV1,
  ReviewRecordedV1,
  ReviewTaskClosedV1,
  ReviewTaskOpenedV1,
} from './generated/types.js';
import type { SchemaRegistry } from './schema-registry.js';

/** Kafka topics (embedded mode uses the same names). Every event of one party is keyed by its id. */
export const topics = {
  parties: 'pdx.parties',
  /** Buyer-partner links; key = the partner id. */
  relationships: 'pdx.relationships',
  /** Declarations of Security; key = the issuing party id. */
  declarations: 'pdx.declarations',
  /** Certificates and approvals, their lifecycle and lapses; key = the holder's party id. */
  certificates: 'pdx.certificates',
  /** Buyers' recognition policies, one version per change; key = the buyer's party id. */
  policies: 'pdx.policies',
  /** Buyers' security reviews of their business partners (ISO 28001 4.5) and incidents (5.7); key = the partner id. */
  reviews: 'pdx.reviews',
  /** Reviews each buyer owes, opened and closed by the review service; key = the partner id. */
  reviewTasks: 'pdx.review-tasks',
  /** The decision for each (buyer, partner) pair, and exemptions granted, revoked and moved to another basis; key = the partner id. */
  statuses: 'pdx.statuses',
  /** Poison events of every consumer group, with the reason in headers. */
  deadLetter: 'pdx.dead-letter',
} as const;

export type Topic = (typeof topics)[keyof typeof topics];

/** Every event type pdx publishes: its topic and the JSON Schema of its data. */
export const eventCatalog = {
  'org.pdx.party.registered.v1': {
    topic: topics.parties,
    dataschema: 'urn:pdx:schema:event:party.registered.v1',
    summary: 'An operator registered a party with its roles and public keys.',
  },
  'org.pdx.party.key-added.v1': {
    topic: topics.parties,
    dataschema: 'urn:pdx:schema:event:party.key-added.v1',
    summary: 'A party registered one more signing key (rotation).',
  },
  'org.pdx.party.key-revoked.v1': {
    topic: topics.parties,
    dataschema: 'urn:pdx:schema:event:party.key-revoked.v1',
    summary: 'A signing key is revoked from an effective time; earlier signatures stay valid.',
  },
  'org.pdx.relationship.offered.v1': {
    topic: topics.relationships,
    dataschema: 'urn:pdx:schema:event:relationship.offered.v1',
    summary: 'A buyer listed a party as its business partner for a scope of service.',
  },
  'org.pdx.relationship.accepted.v1': {
    topic: topics.relationships,
    dataschema: 'urn:pdx:schema:event:relationship.accepted.v1',
    summary: 'The partner consented to the link.',
  },
  'org.pdx.relationship.ended.v1': {
    topic: topics.relationships,
    dataschema: 'urn:pdx:schema:event:relationship.ended.v1',
    summary: 'Either side ended the link.',
  },
  'org.pdx.declaration.submitted.v1': {
    topic: topics.declarations,
    dataschema: 'urn:pdx:schema:event:declaration.submitted.v1',
    summary: 'A partner submitted a verified, signed Declaration of Security (ISO 28001 4.2).',
  },
  'org.pdx.certificate.registered.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.registered.v1',
    summary: 'A certificate was registered: attested by its issuer, or claimed by its holder.',
  },
  'org.pdx.certificate.renewed.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.renewed.v1',
    summary: "A newer attestation or claim replaced the certificate's validity or scope.",
  },
  'org.pdx.certificate.suspended.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.suspended.v1',
    summary: 'The issuer suspended the certificate (reversible); it takes effect at once.',
  },
  'org.pdx.certificate.reinstated.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.reinstated.v1',
    summary: 'The issuer lifted a suspension.',
  },
  'org.pdx.certificate.withdrawn.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.withdrawn.v1',
    summary: 'The certificate was withdrawn (final).',
  },
  'org.pdx.certificate.expiring.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.expiring.v1',
    summary: "A certificate reached one of a linked buyer's alert thresholds before it expires.",
  },
  'org.pdx.certificate.expired.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.expired.v1',
    summary: 'validUntil passed: published once by the lapse scheduler.',
  },
  'org.pdx.certificate.claim-confirmed.v1': {
    topic: topics.certificates,
    dataschema: 'urn:pdx:schema:event:certificate.claim-confirmed.v1',
    summary: "A buyer's reviewer confirmed a claimed certificate.",
  },
  'org.pdx.recognition-policy.changed.v1': {
    topic: topics.policies,
    dataschema: 'urn:pdx:schema:event:recognition-policy.changed.v1',
    summary: 'A buyer set a new version of its recognition policy.',
  },
  'org.pdx.review.recorded.v1': {
    topic: topics.reviews,
    dataschema: 'urn:pdx:schema:event:review.recorded.v1',
    summary: 'A buyer recorded a security review of a business partner (ISO 28001 4.5).',
  },
  'org.pdx.incident.recorded.v1': {
    topic: topics.reviews,
    dataschema: 'urn:pdx:schema:event:incident.recorded.v1',
    summary: 'A buyer recorded a security incident involving a business partner (ISO 28001 5.7).',
  },
  'org.pdx.partner.status.changed.v1': {
    topic: topics.statuses,
    dataschema: 'urn:pdx:schema:event:partner.status.changed.v1',
    summary: 'The decision for a (buyer, partner) pair changed, with its cause.',
  },
  'org.pdx.exemption.granted.v1': {
    topic: topics.statuses,
    dataschema: 'urn:pdx:schema:event:exemption.granted.v1',
    summary: "A buyer's partner became exempt (ISO 28001 4.4) on the certificates named.",
  },
  'org.pdx.exemption.revoked.v1': {
    topic: topics.statuses,
    dataschema: 'urn:pdx:schema:event:exemption.revoked.v1',
    summary: 'An exemption ended.',
  },
  'org.pdx.exemption.basis-changed.v1': {
    topic: topics.statuses,
    dataschema: 'urn:pdx:schema:event:exemption.basis-changed.v1',
    summary:
      'A partner stayed exempt, on other certificates or another clause (named with the previous ones).',
  },
  'org.pdx.review-task.opened.v1': {
    topic: topics.reviewTasks,
    dataschema: 'urn:pdx:schema:event:review-task.opened.v1',
    summary: 'A buyer owes a security review of a partner (ISO 28001 4.5) by the due date.',
  },
  'org.pdx.review-task.closed.v1': {
    topic: topics.reviewTasks,
    dataschema: 'urn:pdx:schema:event:review-task.closed.v1',
    summary: 'A review task ended: reviewed, replaced by another, or no longer required.',
  },
} as const satisfies Record<string, { topic: Topic; dataschema: string; summary: string }>;

/** The data type of each event type; derived from the generated schema types. */
export interface EventDataMap {
  'org.pdx.party.registered.v1': PartyRegisteredV1;
  'org.pdx.party.key-added.v1': PartyKeyAddedV1;
  'org.pdx.party.key-revoked.v1': PartyKeyRevokedV1;
  'org.pdx.relationship.offered.v1': RelationshipOfferedV1;
  'org.pdx.relationship.accepted.v1': RelationshipAcceptedV1;
  'org.pdx.relationship.ended.v1': RelationshipEndedV1;
  'org.pdx.declaration.submitted.v1': DeclarationSubmittedV1;
  'org.pdx.certificate.registered.v1': CertificateRegisteredV1;
  'org.pdx.certificate.renewed.v1': CertificateRenewedV1;
  'org.pdx.certificate.suspended.v1': CertificateSuspendedV1;
  'org.pdx.certificate.reinstated.v1': CertificateReinstatedV1;
  'org.pdx.certificate.withdrawn.v1': CertificateWithdrawnV1;
  'org.pdx.certificate.expiring.v1': CertificateExpiringV1;
  'org.pdx.certificate.expired.v1': CertificateExpiredV1;
  'org.pdx.certificate.claim-confirmed.v1': CertificateClaimConfirmedV1;
  'org.pdx.recognition-policy.changed.v1': RecognitionPolicyChangedV1;
  'org.pdx.review.recorded.v1': ReviewRecordedV1;
  'org.pdx.incident.recorded.v1': IncidentRecordedV1;
  'org.pdx.partner.status.changed.v1': PartnerStatusChangedV1;
  'org.pdx.exemption.granted.v1': ExemptionGrantedV1;
  'org.pdx.exemption.revoked.v1': ExemptionRevokedV1;
  'org.pdx.exemption.basis-changed.v1': ExemptionBasisChangedV1;
  'org.pdx.review-task.opened.v1': ReviewTaskOpenedV1;
  'org.pdx.review-task.closed.v1': ReviewTaskClosedV1;
}

export type PdxEventType = keyof typeof eventCatalog;

type Envelope<K extends PdxEventType> = CloudEvent<EventDataMap[K]> & {
  type: K;
  subject: string;
  time: string;
  datacontenttype: 'application/json';
  dataschema: string;
  data: EventDataMap[K];
};

/** Union of every pdx event, discriminated on `type`. */
export type PdxEvent = { [K in PdxEventType]: Envelope<K> }[PdxEventType];

/** The events of some types, e.g. `EventOf<'org.pdx.party.registered.v1' | …>`. */
export type EventOf<K extends PdxEventType> = Envelope<K>;

/** The events published on one topic. */
export type EventOnTopic<T extends Topic> = {
  [K in PdxEventType]: (typeof eventCatalog)[K]['topic'] extends T ? Envelope<K> : never;
}[PdxEventType];

export function isPdxEventType(type: string): type is PdxEventType {
  return Object.hasOwn(eventCatalog, type);
}

export interface NewEvent<K extends PdxEventType> {
  type: K;
  /** The party the event is about: the message key, so a party's events stay ordered. */
  subject: string;
  data: EventDataMap[K];
  /** The service that emits it: an absolute URI (RFC 3986 §4.3), e.g. `urn:pdx:pdx:intake`. */
  source: string;
  /** Milliseconds since the epoch, from the service's clock. */
  time: number;
  /** Defaults to a random UUID; pass a deterministic id to make a re-publication a duplicate. */
  id?: string;
}

/** Builds a pdx event. Its data must match its schema: a mismatch is a bug, so it throws TypeError. */
export function createEvent<K extends PdxEventType>(
  registry: SchemaRegistry,
  input: NewEvent<K>,
): Envelope<K> {
  const entry = eventCatalog[input.type];
  const violations = registry.check(entry.dataschema, input.data);
  if (violations.length > 0) {
    throw new TypeError(`${input.type} data does not match its schema: ${JSON.stringify(violations)}`);
  }
  assertEventSource(input.source);
  return {
    specversion: '1.0',
    id: input.id ?? globalThis.crypto.randomUUID(),
    source: input.source,
    type: input.type,
    subject: input.subject,
    time: new Date(input.time).toISOString(),
    datacontenttype: 'application/json',
    dataschema: entry.dataschema,
    data: input.data,
  };
}

/**
 * What pdx emits names its source with an absolute URI (CloudEvents §source: "An absolute URI
 * is RECOMMENDED"), so that `source` + `id` identifies an event beyond this exchange. Events
 * read back may still carry the relative references pdx used to emit: those stay valid.
 */
function assertEventSource(source: string): void {
  if (!isAbsoluteUri(source)) {
    throw new TypeError(
      `event source must be an absolute URI (RFC 3986 §4.3), got ${JSON.stringify(source)}`,
    );
  }
}

/**
 * Parses a decoded event: the CloudEvents envelope first, then pdx's own rules (known type,
 * subject and time present, JSON data with the catalogued schema), then the data against its
 * schema. Each failure has its own code, which becomes the dead-letter reason. A message off
 * the wire goes to {@link parsePdxEventText}, which also sees what decoding hid.
 */
export function parsePdxEvent(registry: SchemaRegistry, value: unknown): PdxEvent {
  return toPdxEvent(registry, parseCloudEvent(value), []);
}

/**
 * Parses what a consumer received, from its exact text: {@link parsePdxEvent} plus what
 * JSON.parse hides. A member repeated at the top level, or an Integer extension written
 * `10.0` or `1e3`, is PDX_EVENT_ENVELOPE_INVALID; a member repeated anywhere inside `data` is
 * PDX_EVENT_DATA_INVALID, since the schema check would pass or fail on whichever copy the
 * parser kept. One linear pass over the text on top of JSON.parse.
 */
export function parsePdxEventText(registry: SchemaRegistry, text: string): PdxEvent {
  const { value, facts } = readJsonText(text);
  const event = toCloudEvent(value, checkCloudEvent(value, facts));
  return toPdxEvent(registry, event, facts.duplicates.filter(isInData));
}

function toPdxEvent(
  registry: SchemaRegistry,
  event: CloudEvent,
  dataDuplicates: readonly string[],
): PdxEvent {
  if (!isPdxEventType(event.type)) {
    throw new PdxError('PDX_EVENT_TYPE_UNKNOWN', `unknown event type ${event.type}`, { pointer: '/type' });
  }
  const entry = eventCatalog[event.type];
  const envelopeRule = (ok: boolean, pointer: string, detail: string) => {
    if (!ok)
      throw new PdxError('PDX_EVENT_ENVELOPE_INVALID', `${event.type}: ${pointer} ${detail}`, { pointer });
  };
  envelopeRule(event.subject !== undefined, '/subject', 'is required (the party id)');
  envelopeRule(event.time !== undefined, '/time', 'is required');
  envelopeRule(event.datacontenttype === 'application/json', '/datacontenttype', 'must be application/json');
  envelopeRule(event.dataschema === entry.dataschema, '/dataschema', `must be ${entry.dataschema}`);
  envelopeRule(event.data_base64 === undefined, '/data_base64', 'is not used by pdx events');
  envelopeRule(event.data !== undefined, '/data', 'is required');
  if (dataDuplicates.length > 0) {
    throw new PdxError(
      'PDX_EVENT_DATA_INVALID',
      `${event.type}: ${dataDuplicates[0]} appears more than once in its object`,
      {
        violations: dataDuplicates.map((pointer) => ({
          pointer,
          detail: 'appears more than once: a member name must be unique in its object',
        })),
      },
    );
  }
  const violations = registry
    .check(entry.dataschema, event.data)
    .map((v) => ({ ...v, pointer: `/data${v.pointer}` }));
  if (violations.length > 0) {
    throw new PdxError(
      'PDX_EVENT_DATA_INVALID',
      `${event.type}: ${violations[0]!.pointer} ${violations[0]!.detail}`,
      {
        violations,
      },
    );
  }
  return event as PdxEvent;
}

/** Exhaustiveness check for a `switch` over event types. */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled case ${JSON.stringify(value)}`);
}
