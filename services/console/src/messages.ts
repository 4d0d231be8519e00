/**
 * Every text the console shows, in one catalogue (English). `{name}` marks a value filled in
 * by `t`. Adding a language means adding a catalogue with the same keys.
 */
export const en = {
  'app.name': 'pdx console',
  'app.skip': 'Skip to the content',
  'app.loading': 'Loading…',

  'signIn.title': 'Sign in',
  'signIn.intro':
    'Sign in with your key file: the private key (JWK) your organisation registered for you, made with “pdx keygen --purpose authentication”. The key stays in this browser; only a signed, short-lived proof of it is sent.',
  'signIn.partyId': 'Party id',
  'signIn.partyId.hint':
    'Your organisation’s id on the exchange, e.g. acme-logistics (an operator: its operator id).',
  'signIn.keyFile': 'Key file',
  'signIn.keyFile.hint': 'A .json file with a private JWK (Ed25519 or P-256) and its kid.',
  'signIn.remember': 'Remember me on this browser until I sign out',
  'signIn.remember.hint':
    'Keeps the key in this browser’s storage, marked non-extractable: it can sign, but not be read back.',
  'signIn.submit': 'Sign in',
  'signIn.busy': 'Signing in…',
  'signIn.restoring': 'Signing you in again with the key this browser remembers…',
  'signIn.verify': 'Validating a Statement of Application or a ledger entry? No account needed:',
  'signIn.verify.link': 'verify it here',

  'error.partyId.missing': 'Enter your party id.',
  'error.partyId.pattern': 'A party id is lower-case letters, digits and hyphens (2 to 64 characters).',
  'error.keyFile.missing': 'Choose your key file.',
  'error.keyFile.json': 'This file is not JSON: choose the key file “pdx keygen” wrote.',
  'error.keyFile.notPrivate':
    'This is a public key (it has no "d"): choose the private key file, which stays with you.',
  'error.keyFile.kind': 'This key is neither Ed25519 (OKP) nor P-256 (EC): pdx signs with those two only.',
  'error.keyFile.kid': 'This key has no "kid": the exchange finds your registered key by its kid.',
  'error.keyFile.import': 'This browser could not use the key: {reason}',
  'error.network': 'The exchange could not be reached: {reason}',
  'error.server': 'The exchange answered {status}: {detail}',
  'error.signIn.party': 'The exchange does not know this party: {detail}',
  'error.signIn.key': 'The exchange did not accept this key: {detail}',
  'error.signIn.other': 'Sign-in was refused: {detail}',
  'error.session.lost': 'Your session ended: {detail}. Sign in again.',

  'shell.signedInAs': 'Signed in as {who}',
  'shell.roles': 'Roles: {roles}',
  'shell.operator': 'operator',
  'shell.signOut': 'Sign out',
  'shell.nav': 'Main',
  'shell.signIn': 'Sign in',

  'form.signingKey': 'Signing key file',
  'form.signingKey.hint':
    'The private key (JWK) your organisation signs documents with. It is used in this browser for this signature only; it is not sent or kept.',
  'form.required': 'This field is required.',
  'form.saving': 'Saving…',

  'nav.partners': 'Partners',
  'nav.partner': 'Partner',
  'nav.certificates': 'Certificates',
  'nav.alerts': 'Alerts',
  'nav.reviews': 'Reviews owed',
  'nav.invite': 'Invite partners',
  'nav.policy': 'Recognition policy',
  'nav.statement': 'Statement of Application',
  'nav.buyers': 'My buyers',
  'nav.declarations': 'Declarations',
  'nav.declarationNew': 'New declaration',
  'nav.declaration': 'Declaration',
  'nav.myCertificates': 'Certificates and claims',
  'nav.attested': 'Attested certificates',
  'nav.attest': 'Attest a certificate',
  'nav.parties': 'Parties',
  'nav.keys': 'Sign-in keys',
  'nav.verify': 'Verify',
  'nav.home': 'Overview',

  'home.title': 'Overview',
  'home.intro': 'Choose a page in the navigation. What each role can do:',
  'home.buyer': 'As a buyer: your partners, their status and what is due.',
  'home.partner': 'As a partner: your buyers and declarations (coming to the console; the API has them now).',
  'home.issuer': 'As an issuer: the certificates you attested (coming to the console; the API has them now).',
  'home.operator': 'As the operator: register parties (coming to the console; POST /v1/parties now).',
  'home.none': 'Your party has no role yet: ask the exchange’s operator to add one.',

  'later.title': '{page}',
  'later.body': 'This page comes in a later version of the console. Until then, the API does it: {api}.',

  'partners.title': 'Partners',
  'partners.counts': 'Partners by status',
  'partners.total': '{count} partners',
  'partners.total.one': '1 partner',
  'partners.table': 'Your partners and their status',
  'partners.col.partner': 'Partner',
  'partners.col.status': 'Status',
  'partners.col.clause': 'Clause',
  'partners.col.basis': 'Basis',
  'partners.col.risk': 'Risk tier',
  'partners.col.next': 'Next obligation',
  'partners.col.due': 'Due',
  'partners.none': '—',
  'partners.empty.title': 'No partners yet',
  'partners.empty.body':
    'Offer a link to each business partner (POST /v1/relationships with its party id and scope of service). Once the partner accepts it, it appears here with its status.',
  'partners.pending':
    'A partner appears here once it has accepted your offer and its status has been decided.',

  'basis.certificate': 'certificate {id}',
  'basis.declaration': 'declaration {id}',
  'basis.review': 'review {id}',

  'status.exempt': 'exempt',
  'status.covered': 'covered',
  'status.credible': 'credible',
  'status.pending-review': 'pending review',
  'status.incomplete': 'incomplete',
  'status.declaration-required': 'declaration required',
  'status.review-overdue': 'review overdue',
  'status.not-credible': 'not credible',

  'risk.low': 'low',
  'risk.medium': 'medium',
  'risk.high': 'high',

  'obligation.declaration-required': 'Declaration required',
  'obligation.areas-missing': 'Areas missing',
  'obligation.review-due': 'Review due',
  'obligation.review-overdue': 'Review overdue',
  'obligation.review-method': 'Review method',
  'obligation.not-credible': 'Not credible',

  // ── Buyer: partner list (filters, search, paging) ──
  'partnersList.section': 'Partner list',
  // ── end: partner list ──

  // ── Buyer: one partner ──
  'partner.section': 'Partner',
  // ── end: one partner ──

  // ── Buyer: certificates, alerts, reviews owed ──
  'certificates.section': 'Certificates',
  // ── end: certificates, alerts, reviews owed ──

  // ── Buyer: policy, statement, invitations ──
  'policy.section': 'Recognition policy',
  // ── end: policy, statement, invitations ──

  // ── Partner: buyers, declarations, certificates and claims ──
  'declarations.section': 'Declarations',

  'buyers.intro':
    'The buyers that offered you a business relationship. Accepting an offer lets that buyer see your declarations addressed to it and your certificates; ending a link stops it.',
  'buyers.table': 'Your buyers and their offers',
  'buyers.col.buyer': 'Buyer',
  'buyers.col.scope': 'Scope of service',
  'buyers.col.state': 'State',
  'buyers.col.since': 'Since',
  'buyers.col.actions': 'Actions',
  'buyers.state.offered': 'offer to answer',
  'buyers.state.accepted': 'linked',
  'buyers.state.ended': 'ended',
  'buyers.endedBy': 'ended by {who}',
  'buyers.accept': 'Accept the offer of {buyer}',
  'buyers.decline': 'Decline the offer of {buyer}',
  'buyers.end': 'End the link with {buyer}',
  'buyers.confirm': 'End the link with {buyer}? It will no longer see your declarations and certificates.',
  'buyers.confirm.yes': 'Yes, end the link',
  'buyers.confirm.no': 'Keep it',
  'buyers.done.accepted': 'You accepted the offer of {buyer}. You can now address declarations to it.',
  'buyers.done.ended': 'The link with {buyer} has ended.',
  'buyers.empty.title': 'No buyer has offered you a link yet',
  'buyers.empty.body':
    'A buyer offers the link from its own console or API (POST /v1/relationships with your party id, {partyId}). Give your party id to the buyers you work for; their offers appear here to accept.',
  'buyers.declare': 'Write a declaration for your linked buyers',

  'declarations.intro':
    'Your Declarations of Security (ISO 28001 4.2): the security measures you state in writing to your buyers, signed with your organisation’s key.',
  'declarations.new': 'Write a new declaration',
  'declarations.table': 'Your declarations, newest first',
  'declarations.col.id': 'Declaration',
  'declarations.col.state': 'State',
  'declarations.col.recipients': 'Addressed to',
  'declarations.col.validity': 'Valid',
  'declarations.col.submitted': 'Submitted',
  'declarations.col.verification': 'Verification',
  'declarations.state.current': 'current',
  'declarations.state.superseded': 'superseded',
  'declarations.supersededBy': 'by {id}',
  'declarations.validity': '{from} to {until}',
  'declarations.empty.title': 'No declarations yet',
  'declarations.empty.body':
    'Write your first declaration: choose what you do for your buyers and where, state your measures per area, and sign it with your key file. You need at least one linked buyer (see My buyers).',

  'declaration.scope': 'Scope of service',
  'declaration.functions': 'Functions',
  'declaration.locations': 'Locations',
  'declaration.routes': 'Routes',
  'declaration.route': '{from} to {to}',
  'declaration.route.mode': '{from} to {to} ({mode})',
  'declaration.measures': 'Security measures',
  'declaration.controls': 'Controls',
  'declaration.iso': 'ISO 28000 {iso28000}; ISO 28001 {iso28001}',
  'declaration.details': 'Details',
  'declaration.issuer': 'Issuer',
  'declaration.recipients': 'Addressed to',
  'declaration.validity': 'Valid',
  'declaration.signatory': 'Signed for the issuer by',
  'declaration.signatory.value': '{name}, {title} ({authority})',
  'declaration.issuedAt': 'Signed',
  'declaration.submittedAt': 'Submitted',
  'declaration.state': 'State',
  'declaration.supersedes': 'Replaces',
  'declaration.supersededBy': 'Replaced by',
  'declaration.contentHash': 'Content hash',
  'declaration.supersede': 'Supersede it with a new version',
  'declaration.back': 'All declarations',
  'declaration.none': '—',
  'declaration.notFound': 'No declaration {id} of {issuer} is visible to you.',

  'declare.report.title': 'Verification report',
  'declare.report.valid': 'The exchange verified the declaration: every check passed.',
  'declare.report.unchanged': 'The exchange already had this exact declaration: nothing changed.',
  'declare.report.accepted': 'Accepted: declaration {id} is recorded and sent to {recipients}.',
  'declare.report.invalid': 'The exchange refused the declaration at the check marked failed:',
  'declare.report.refusedAfter': 'Every check passed, but the exchange refused it: {detail}',
  'declare.report.list': 'Checks, in the order the exchange runs them',
  'declare.report.field': 'Field: {field}',
  'declare.report.open': 'Open the declaration',
  'declare.report.check.signature': 'Signature made with your registered key',
  'declare.report.check.key-valid-at-signing-time': 'Key valid when it was signed',
  'declare.report.check.schema': 'Content complete and well-formed',
  'declare.report.check.issuer': 'Issuer is the signing party',
  'declare.report.check.validity-window': 'Validity period acceptable',
  'declare.report.status.VALID': 'passed',
  'declare.report.status.INVALID': 'failed',
  'declare.report.status.ERROR': 'could not run',
  'declare.report.status.SKIPPED': 'not run (an earlier check failed)',

  'declare.intro':
    'Compose the declaration, sign it with your organisation’s signing key in this browser, and submit it. The exchange verifies it and answers with its report, check by check.',
  'declare.supersedes': 'This declaration replaces {id}. Change what has changed, then sign it.',
  'declare.loading': 'Loading the declaration to supersede…',
  'declare.part.identity': 'Declaration',
  'declare.declarationId': 'Declaration id',
  'declare.declarationId.hint':
    'Your own reference, unique among your declarations: letters, digits and . _ : - (up to 128 characters).',
  'declare.part.scope': 'Scope of service',
  'declare.functions': 'What you do for your buyers',
  'declare.locations': 'Locations (UN/LOCODE)',
  'declare.locations.hint':
    'Sites concerned, separated by commas or spaces, e.g. DEHAM, NLRTM. Each code is a country (ISO 3166) and three letters or digits 2–9; the console checks the country, not that the location is in the UN/LOCODE list.',
  'declare.locations.ok': 'Recognised: {list}',
  'declare.locode.format':
    '{code} is not a UN/LOCODE: two letters of a country, then three letters or digits 2–9 (e.g. DEHAM).',
  'declare.locode.country': '{code}: there is no country {country} (ISO 3166-1).',
  'declare.routes': 'Routes',
  'declare.routes.hint': 'Legs you run between two locations, e.g. CNSHA to NLRTM by sea.',
  'declare.route': 'Route {n}',
  'declare.route.from': 'Route {n}: from',
  'declare.route.to': 'Route {n}: to',
  'declare.route.mode': 'Route {n}: mode',
  'declare.route.anyMode': 'not stated',
  'declare.route.add': 'Add a route',
  'declare.route.remove': 'Remove route {n}',
  'declare.part.measures': 'Security measures by area',
  'declare.measures.intro':
    'State your measures for each area your services involve. Areas marked required are those the exchange’s default review policy asks of the functions you chose (a buyer’s own policy may ask for more); leaving one out makes your declaration incomplete for those buyers.',
  'declare.measures.missing': 'Required areas not stated yet: {areas}.',
  'declare.area': 'Area {code}: {name}',
  'declare.area.required': 'Required for {who}',
  'declare.area.every': 'every partner',
  'declare.area.optional': 'Optional for the functions chosen',
  'declare.statement': 'Area {code}: statement',
  'declare.statement.hint': 'What you do in this area, in a few sentences.',
  'declare.controls': 'Area {code}: controls',
  'declare.controls.hint': 'One control a line, e.g. “CCTV at every dock door, recordings kept 30 days”.',
  'declare.part.validity': 'Validity',
  'declare.validFrom': 'Valid from',
  'declare.validUntil': 'Valid until (inclusive)',
  'declare.part.signatory': 'Signatory',
  'declare.signatory.name': 'Name',
  'declare.signatory.title': 'Title',
  'declare.signatory.authority': 'Authority to bind your organisation',
  'declare.signatory.authority.hint': 'e.g. Managing Director, sole power of representation.',
  'declare.part.recipients': 'Recipients',
  'declare.recipients': 'Buyers to address it to',
  'declare.recipients.none':
    'You have no linked buyer yet: accept a buyer’s offer on My buyers first; a declaration is addressed only to linked buyers.',
  'declare.part.sign': 'Sign and submit',
  'declare.signingKey.hint':
    'Your organisation’s signing key (a private JWK with a kid registered for signing). It signs this declaration in this browser only; it is not sent or kept.',
  'declare.submit': 'Sign and submit',
  'declare.busy': 'Signing and submitting…',
  'declare.error.declarationId':
    'Use letters, digits and . _ : - only, starting with a letter or digit (up to 128 characters).',
  'declare.error.functions': 'Choose at least one function.',
  'declare.error.measures': 'State the measures of at least one area.',
  'declare.error.controls': 'List at least one control, one a line.',
  'declare.error.date': 'Enter a date.',
  'declare.error.untilBeforeFrom': 'The end must be after the start.',
  'declare.error.recipients': 'Choose at least one buyer.',

  'declare.fn.manufacturer': 'manufacturer',
  'declare.fn.shipper': 'shipper',
  'declare.fn.ocean-carrier': 'ocean carrier',
  'declare.fn.air-carrier': 'air carrier',
  'declare.fn.road-carrier': 'road carrier',
  'declare.fn.rail-carrier': 'rail carrier',
  'declare.fn.forwarder': 'forwarder',
  'declare.fn.warehouse': 'warehouse',
  'declare.fn.port-terminal': 'port terminal',
  'declare.fn.customs-broker': 'customs broker',
  'declare.mode.sea': 'sea',
  'declare.mode.air': 'air',
  'declare.mode.road': 'road',
  'declare.mode.rail': 'rail',
  'declare.mode.inland-waterway': 'inland waterway',
  'declare.mode.multimodal': 'multimodal',
  'declare.areaName.A': 'Education, training and awareness',
  'declare.areaName.B': 'Information exchange, access and confidentiality',
  'declare.areaName.C': 'Cargo security',
  'declare.areaName.D': 'Conveyance security',
  'declare.areaName.E': 'Premises security',
  'declare.areaName.F': 'Personnel security',
  'declare.areaName.G': 'Trading partner security',
  'declare.areaName.H': 'Crisis management and incident recovery',
  'declare.areaName.I': 'Measurement, analyses and improvement',

  'myCertificates.intro':
    'The certificates and approvals you hold. Attested ones were signed by their issuer on the exchange; claimed ones you state yourself, and stay unverified until a linked buyer’s reviewer confirms them.',
  'myCertificates.table': 'Your certificates',
  'myCertificates.col.scheme': 'Scheme',
  'myCertificates.col.number': 'Number',
  'myCertificates.col.trust': 'Basis',
  'myCertificates.col.state': 'State',
  'myCertificates.col.scope': 'Scope',
  'myCertificates.col.validUntil': 'Valid until',
  'myCertificates.openEnded': 'open-ended',
  'myCertificates.trust.attested': 'attested by {issuer}',
  'myCertificates.trust.claimed': 'claimed (issued by {issuer})',
  'myCertificates.confirmed': 'confirmed by {buyers}',
  'myCertificates.state.pending': 'not yet valid',
  'myCertificates.state.active': 'active',
  'myCertificates.state.suspended': 'suspended',
  'myCertificates.state.withdrawn': 'withdrawn',
  'myCertificates.state.expired': 'expired',
  'myCertificates.empty.title': 'No certificates yet',
  'myCertificates.empty.body':
    'An issuer on the exchange attests your certificates itself. For one whose issuer is not on the exchange, claim it with the form below.',
  'myCertificates.claim.title': 'Claim a certificate',
  'myCertificates.claim.intro':
    'State a certificate or approval you hold whose issuer is not on the exchange. A buyer’s reviewer checks it before it counts.',
  'myCertificates.schemeId': 'Scheme',
  'myCertificates.schemeId.hint':
    'Its id in the exchange’s scheme catalogue, e.g. eu-aeo-aeos, iso-28000, tapa-fsr.',
  'myCertificates.number': 'Certificate number',
  'myCertificates.issuerName': 'Issued by',
  'myCertificates.issuerName.hint': 'e.g. Hauptzollamt Hamburg.',
  'myCertificates.tier': 'Tier or level (if the scheme has one)',
  'myCertificates.validFrom': 'Valid from',
  'myCertificates.validUntil': 'Valid until (leave empty if open-ended)',
  'myCertificates.functions': 'Functions it covers',
  'myCertificates.sites': 'Sites it covers (UN/LOCODE)',
  'myCertificates.evidence': 'Where a reviewer can see it',
  'myCertificates.evidence.hint':
    'A document reference or URL. Or choose the file below: only its SHA-256 hash is sent.',
  'myCertificates.evidenceFile': 'Evidence file (hashed in this browser)',
  'myCertificates.evidenceFile.hint': 'The file stays here; the field above gets its SHA-256 hash.',
  'myCertificates.evidenceHash': 'sha256:{hash} ({name})',
  'myCertificates.claim.submit': 'Claim the certificate',
  'myCertificates.claim.busy': 'Submitting…',
  'myCertificates.claim.done':
    'Claimed: {scheme} {number}. It is unverified until a buyer’s reviewer confirms it.',
  // ── end: partner ──

  // ── Issuer and operator ──
  'attested.section': 'Attested certificates',
  // ── end: issuer and operator ──

  // ── Validator ──
  'verify.section': 'Verify',
  // ── end: validator ──
} as const;

export type MessageKey = keyof typeof en;

/** The text of `key` with `{name}` replaced by `values[name]`. */
export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return en[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** A date (and time) in the person's locale. */
export function formatDate(iso: string, locale?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium' }).format(date);
}
