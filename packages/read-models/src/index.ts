export {
  applyCertificateEvent,
  type CertificateDoc,
  type CertificateEvent,
  certificateCollection,
  evolveCertificate,
} from './certificates.js';
export { readModelCollection } from './collection-spec.js';
export { seenBefore } from './early-events.js';
export {
  applyLinkEvent,
  evolveLink,
  type LinkDoc,
  type LinkEvent,
  linkCollection,
  linkScope,
} from './links.js';
export { applyPartyEvent, evolveParty, type PartyDoc, type PartyEvent, partyCollection } from './parties.js';
