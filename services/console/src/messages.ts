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
  'partner.title': '{name}',
  'partner.subtitle': 'Party id {id} · your business partner',
  'partner.back': 'Back to all partners',
  'partner.status': 'Status',
  'partner.risk': 'Risk tier',
  'partner.risk.none': 'not rated (no review owed)',
  'partner.evaluated': 'Decided',
  'partner.rules': 'Policy version {policy}, scheme catalogue version {catalogue}',
  'partner.updating': 'Updating…',
  'partner.updated': 'Updated: the status is now “{status}”.',
  'partner.notYet':
    'The exchange accepted it; the status has not changed yet. It will show here once it is applied: reload the page in a moment.',
  'partner.notLinked.title': 'This partner is not linked to you',
  'partner.notLinked.body':
    'You have no accepted business relationship with {id}. Offer it a link on “Invite partners”; once it accepts, its status appears here.',

  'partner.decision.title': 'Decision and why',
  'partner.decision.functions': 'Status per function',
  'partner.decision.col.function': 'Function',
  'partner.decision.col.status': 'Status',
  'partner.decision.col.clause': 'Clause',
  'partner.decision.col.grounds': 'On the grounds of',
  'partner.summary.exempt':
    '{name} is exempt from the declaration requirement (ISO 28001 4.4): it is listed on your Statement of Application and need not be assessed again nor asked for a declaration.',
  'partner.summary.covered':
    'Internationally accepted certificates or approvals cover part of what {name} does for you (ISO 28001 4.3); the rest rests on its declaration, reviewed and found credible.',
  'partner.summary.credible':
    'You reviewed {name}’s declaration of security and found it credible (ISO 28001 4.5). It stays credible until the next review is due.',
  'partner.summary.pending-review':
    '{name} has given you its declaration of security (ISO 28001 4.2). You now need to review it to ascertain that it is credible (4.5): record the review below.',
  'partner.summary.incomplete':
    '{name}’s declaration leaves out security areas that the functions it performs for you require: ask it for a new declaration that covers them.',
  'partner.summary.declaration-required':
    '{name} has no declaration of security in force and no exemption: it needs to give you one in writing (ISO 28001 4.2).',
  'partner.summary.review-overdue':
    'A security review of {name} that you owe is overdue (ISO 28001 4.5): record it below as soon as it is done.',
  'partner.summary.not-credible':
    'Your latest review found {name}’s declaration not credible (ISO 28001 4.5): it cannot be relied on until it is fixed and reviewed again.',
  'partner.why.cert.4.4(a)':
    '4.4(a): {name} holds {cert}, which verifies it compliant with ISO 28001 or ISO 20858{functions}, so no declaration is needed and it is listed as exempt.',
  'partner.why.cert.4.4(c)':
    '4.4(c): {name} holds {cert}, an Authorized Economic Operator designation of a customs programme that follows the WCO SAFE Framework and that your policy recognises{functions}, so no declaration is needed and it is listed as exempt.',
  'partner.why.cert.4.4(b)':
    '4.4(b): {cert} covers {name} under 4.3{functions}; with every function it performs for you covered that way, it is exempt.',
  'partner.why.cert.4.3':
    '4.3: {cert} is an internationally accepted certificate or approval{functions}: that part of the chain needs no further assessment.',
  'partner.why.cert.4.5':
    '4.5: {cert} is supporting evidence for your review{functions}, not grounds for an exemption.',
  'partner.why.cert.4.5.lowers':
    '4.5: {cert} is supporting evidence for your review{functions}: it lowered the risk tier by one step. It is not grounds for an exemption.',
  'partner.why.cert.other': '{clause}: {cert}{functions}.',
  'partner.why.functions': ' for {functions}',
  'partner.why.certName': 'the {scheme} certificate {number}',
  'partner.why.declaration':
    '4.2: {name} stated the security measures it provides in writing, in its signed declaration of security {id}.',
  'partner.why.review.credible': '4.5: your review {id} found the declaration credible.',
  'partner.why.review.not-credible': '4.5: your review {id} found the declaration not credible.',
  'partner.why.review': '{clause}: your review {id}.',
  'partner.why.none': 'Nothing grounds a status yet: no declaration, certificate or review applies.',

  'partner.obligations.title': 'What is due',
  'partner.obligations.none': 'Nothing is due: no action is needed from you now.',
  'partner.obligations.due': 'due {date}',
  'partner.obligations.noDue': 'no due date',
  'partner.obligations.task':
    'Review owed: a {method} of declaration {declarationId} ({tier} risk, {reason}), due {date}.',
  'partner.reason.first-review': 'first review',
  'partner.reason.periodic': 'periodic review',
  'partner.reason.after-incident': 'after an incident',
  'partner.nextChange': 'This status changes by itself on {date} unless something else happens first.',

  'partner.evidence.title': 'Evidence',
  'partner.certs.title': 'Certificates and approvals',
  'partner.certs.none':
    'This partner has no certificates on the exchange. It can publish or claim them on its “Certificates and claims” page.',
  'partner.certs.cited': 'Cited by the decision',
  'partner.certs.notCited': 'Not cited by the decision',
  'partner.certs.valid': 'Valid',
  'partner.certs.validRange': 'from {from} until {until}',
  'partner.certs.validOpen': 'from {from}, open-ended',
  'partner.certs.state': 'State',
  'partner.certs.scope': 'Covers',
  'partner.certs.trust': 'Trust',
  'partner.certs.attested':
    'Attested: signed by the issuer {issuer} (key {kid}) on {date}; the exchange verified the signature when it was submitted.',
  'partner.certs.attestedNoJws': 'Attested by the issuer {issuer}.',
  'partner.certs.keyCheck.INVALID':
    'The issuer’s signing key has since been revoked ({detail}): this certificate grounds nothing.',
  'partner.certs.claimed':
    'Claimed by {holder}; issued by “{issuerName}” as it says. Not verified: it counts for you once your reviewer confirms it.',
  'partner.certs.claimedConfirmed':
    'Claimed by {holder}; issued by “{issuerName}” as it says. Your reviewer confirmed it, so it counts for you.',
  'partner.certs.confirmedBy': 'Confirmed by {reviewer} of {buyer} on {date} (evidence: {ref}).',
  'partner.certs.confirm': 'Confirm this certificate',
  'partner.certs.attestation': 'What the issuer signed (decoded from its JWS)',
  'partner.certs.effective.pending': 'not yet valid',
  'partner.certs.effective.active': 'active',
  'partner.certs.effective.suspended': 'suspended (can be reinstated)',
  'partner.certs.effective.withdrawn': 'withdrawn (final)',
  'partner.certs.effective.expired': 'expired',
  'partner.certs.daysLeft': '{days} days left',

  'partner.dos.title': 'Declaration of security',
  'partner.dos.none':
    'No declaration is in force. The partner writes and signs one on its “Declarations” page (or POST /v1/declarations); it appears here once submitted.',
  'partner.dos.signed':
    'Signed by {issuer} (key {kid}) for {signatory}, {signatoryTitle} ({authority}), on {date}.',
  'partner.dos.validity': 'Valid from {from} until {until}.',
  'partner.dos.scope': 'Scope of service: {functions}{locations}.',
  'partner.dos.locations': ' at {locations}',
  'partner.dos.areas': 'Security measures per area (WCO SAFE AEO requirements, ISO 28004-4)',
  'partner.dos.col.area': 'Area',
  'partner.dos.col.refs': 'ISO 28000 / 28001',
  'partner.dos.col.measures': 'What the partner states',
  'partner.dos.notStated': 'Not stated.',
  'partner.dos.missing': 'Missing: required for its functions.',
  'partner.dos.controls': 'Controls:',
  'partner.dos.report': 'Verification report',
  'partner.dos.verdict.VALID': 'The exchange verified the declaration: every check passed.',
  'partner.dos.verdict.INVALID': 'The declaration failed verification: see the checks.',
  'partner.dos.col.check': 'Check',
  'partner.dos.col.result': 'Result',
  'partner.dos.col.detail': 'Detail',
  'partner.dos.reportUnavailable': 'The verification report could not be read: {reason}',
  'partner.check.signature': 'Signature',
  'partner.check.key-valid-at-signing-time': 'Key valid when it signed',
  'partner.check.schema': 'Content well-formed (schema)',
  'partner.check.issuer': 'Signed by the partner itself',
  'partner.check.validity-window': 'Within its validity',
  'partner.result.VALID': 'passed',
  'partner.result.INVALID': 'failed',
  'partner.result.ERROR': 'could not run',
  'partner.result.SKIPPED': 'skipped (an earlier check failed)',
  'partner.area.A': 'A. Education, training and awareness',
  'partner.area.B': 'B. Information exchange, access and confidentiality',
  'partner.area.C': 'C. Cargo security',
  'partner.area.D': 'D. Conveyance security',
  'partner.area.E': 'E. Premises security',
  'partner.area.F': 'F. Personnel security',
  'partner.area.G': 'G. Trading partner security',
  'partner.area.H': 'H. Crisis management and incident recovery',
  'partner.area.I': 'I. Measurement, analyses and improvement',

  'partner.reviews.title': 'Reviews',
  'partner.reviews.none':
    'The decision cites no review yet. Record one below once you have reviewed the declaration.',
  'partner.reviews.item': '{id}: {method} by {reviewer} on {date}, found {outcome}.',
  'partner.reviews.findings': 'Findings:',

  'partner.history.title': 'History of changes',
  'partner.history.none': 'No changes recorded yet.',
  'partner.history.col.when': 'When',
  'partner.history.col.change': 'Change',
  'partner.history.col.cause': 'Cause',
  'partner.history.first': 'first decided: {status}',
  'partner.history.change': '{from} → {to}',
  'partner.history.same': '{status} (basis or dates changed)',
  'partner.cause.time': 'a date passed (a review or a certificate came due)',
  'partner.cause.rules':
    'the rules changed (catalogue {fromCatalogue} → {toCatalogue}, rules engine {fromEngine} → {toEngine}) and the decision was made again',
  'partner.cause.event': 'event {type}',
  'partner.cause.org.pdx.declaration.submitted.v1': 'the partner submitted a declaration',
  'partner.cause.org.pdx.review.recorded.v1': 'you recorded a review',
  'partner.cause.org.pdx.incident.recorded.v1': 'you recorded an incident',
  'partner.cause.org.pdx.certificate.registered.v1': 'a certificate was published or claimed',
  'partner.cause.org.pdx.certificate.claim-confirmed.v1': 'a claimed certificate was confirmed',
  'partner.cause.org.pdx.certificate.suspended.v1': 'a certificate was suspended',
  'partner.cause.org.pdx.certificate.reinstated.v1': 'a certificate was reinstated',
  'partner.cause.org.pdx.certificate.withdrawn.v1': 'a certificate was withdrawn',
  'partner.cause.org.pdx.certificate.expired.v1': 'a certificate expired',
  'partner.cause.org.pdx.certificate.renewed.v1': 'a certificate was renewed',
  'partner.cause.org.pdx.relationship.accepted.v1': 'the partner accepted your link',
  'partner.cause.org.pdx.relationship.ended.v1': 'the link ended',
  'partner.cause.org.pdx.recognition-policy.changed.v1': 'your recognition policy changed',
  'partner.cause.org.pdx.party.key-revoked.v1': 'a signing key was revoked',

  'partner.actions.title': 'Actions',
  'partner.actions.intro': 'Each action is recorded on the exchange and re-decides the status.',
  'partner.actions.review': 'Record a review',
  'partner.actions.incident': 'Record an incident',
  'partner.actions.end': 'End the link',
  'partner.actions.cancel': 'Cancel',
  'partner.actions.noDeclaration': 'A review needs a declaration to review: this partner has none in force.',

  'partner.review.legend': 'Record a security review (ISO 28001 4.5)',
  'partner.review.declaration': 'Reviewing declaration {id}.',
  'partner.review.reviewId': 'Review id',
  'partner.review.reviewId.hint':
    'Your own reference for this review; recording the same id again changes nothing.',
  'partner.review.reviewedAt': 'Reviewed on',
  'partner.review.reviewedAt.hint': 'When the review was done (not in the future), in your time zone.',
  'partner.review.reviewer': 'Reviewer',
  'partner.review.method': 'Method',
  'partner.review.outcome': 'Outcome',
  'partner.review.findings': 'Findings',
  'partner.review.findings.hint': 'One finding per line; leave empty if there are none.',
  'partner.review.evidence': 'Evidence files',
  'partner.review.evidence.hint':
    'Hashed in this browser (SHA-256): only each file’s name and hash are sent; the files stay with you.',
  'partner.review.submit': 'Record review',
  'partner.method.document-review': 'document review',
  'partner.method.questionnaire': 'questionnaire',
  'partner.method.site-visit': 'site visit',
  'partner.outcome.credible': 'credible',
  'partner.outcome.not-credible': 'not credible',
  'partner.evidence.hashing': 'Hashing…',
  'partner.evidence.hashed': '{name}: SHA-256 {hash}',
  'partner.error.date': 'Enter a date and time.',
  'partner.error.text': 'Enter some text.',

  'partner.incident.legend': 'Record a security incident (ISO 28001 5.7)',
  'partner.incident.incidentId': 'Incident id',
  'partner.incident.incidentId.hint':
    'Your own reference for this incident; recording the same id again changes nothing.',
  'partner.incident.occurredAt': 'Happened on',
  'partner.incident.occurredAt.hint': 'When it happened (not in the future), in your time zone.',
  'partner.incident.severity': 'Severity',
  'partner.incident.severity.hint':
    'One high-severity incident alone makes the partner high risk; any incident raises its risk tier for a while and calls for a review.',
  'partner.incident.category': 'What happened',
  'partner.incident.summary': 'Summary',
  'partner.incident.reportedTo': 'Reported to',
  'partner.incident.evidence': 'Evidence files',
  'partner.incident.submit': 'Record incident',
  'partner.severity.low': 'low',
  'partner.severity.medium': 'medium',
  'partner.severity.high': 'high',
  'partner.category.theft': 'theft',
  'partner.category.tampering': 'tampering',
  'partner.category.unauthorised-access': 'unauthorised access',
  'partner.category.smuggling': 'smuggling',
  'partner.category.cyber': 'cyber attack',
  'partner.category.documentation': 'documentation fraud or error',
  'partner.category.other': 'other',
  'partner.reported.customs': 'customs',
  'partner.reported.law-enforcement': 'law enforcement',
  'partner.reported.other': 'someone else',

  'partner.confirm.legend': 'Confirm the claimed certificate {number}',
  'partner.confirm.intro':
    'Confirm only after your reviewer has seen the certificate itself (the original, or the issuer’s public register).',
  'partner.confirm.reviewer': 'Reviewer',
  'partner.confirm.evidenceRef': 'Evidence seen',
  'partner.confirm.evidenceRef.hint':
    'Where the reviewer saw it, e.g. “EU AEO database, 2026-11-30” or your file reference.',
  'partner.confirm.submit': 'Confirm certificate',

  'partner.end.legend': 'End the business relationship',
  'partner.end.warning':
    'Ending the link stops {name}’s declarations and certificates reaching you; it leaves your Statement of Application and no longer has a status. This cannot be undone: a new link needs a new offer and its acceptance.',
  'partner.end.confirm': 'I understand: end the link with {id}',
  'partner.end.submit': 'End the link now',
  'partner.end.unconfirmed': 'Tick the box to confirm that you want to end the link.',
  'partner.ended': 'The link with {id} ended on {date}. It no longer has a status with you.',
  // ── end: one partner ──

  // ── Buyer: certificates, alerts, reviews owed ──
  'certificates.section': 'Certificates',
  // ── end: certificates, alerts, reviews owed ──

  // ── Buyer: policy, statement, invitations ──
  'policy.section': 'Recognition policy',
  // ── end: policy, statement, invitations ──

  // ── Partner: buyers, declarations, certificates and claims ──
  'declarations.section': 'Declarations',
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
