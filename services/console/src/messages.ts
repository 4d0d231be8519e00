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
  // ── end: partner ──

  // ── Issuer and operator ──
  'attest.intro':
    'Fill in the certificate as you issued it, choose your signing key file and submit. The attestation is signed in this browser with that key; only the signed attestation is sent (POST /v1/certificates/attestations), and the exchange verifies it before recording it.',
  'attest.empty.title': 'No scheme to attest yet',
  'attest.empty.body':
    'Your party is not registered to attest any scheme. Ask the exchange’s operator to add the schemes you issue certificates for (issuerOf).',
  'attest.scheme': 'Scheme',
  'attest.scheme.hint': 'The schemes your party is registered to attest.',
  'attest.scheme.choose': 'Choose a scheme',
  'attest.holder': 'Holder',
  'attest.holder.hint': 'The party id of the certificate’s holder on the exchange, e.g. acme-logistics.',
  'attest.number': 'Certificate number',
  'attest.number.hint': 'As you write it on the certificate, e.g. DE AEOF 00025/08.',
  'attest.functions': 'Functions covered',
  'attest.functions.hint': 'The supply-chain functions the certificate covers: at least one.',
  'attest.sites': 'Sites (optional)',
  'attest.sites.hint': 'For a site-bound certificate: UN/LOCODEs separated by commas, e.g. DEHAM, DEBRE.',
  'attest.validFrom': 'Valid from',
  'attest.validUntil': 'Valid until (optional)',
  'attest.validUntil.hint': 'Leave empty for an open-ended certificate (EU AEO); dated schemes need it.',
  'attest.tier': 'Tier (optional)',
  'attest.tier.hint': 'For schemes with tiers (CTPAT): the tier granted.',
  'attest.submit': 'Sign and submit',
  'attest.busy': 'Signing and submitting…',
  'attest.report.title': 'Verification report',
  'attest.check.signature': 'Signature',
  'attest.check.key-valid-at-signing-time': 'Key valid at signing time',
  'attest.check.schema': 'Content',
  'attest.check.issuer': 'Issuer authorised for the scheme',
  'attest.check.validity-window': 'Validity window',
  'attest.checkStatus.VALID': 'passed',
  'attest.checkStatus.INVALID': 'failed',
  'attest.checkStatus.ERROR': 'could not run',
  'attest.checkStatus.SKIPPED': 'not checked',
  'attest.done.title': 'Attested',
  'attest.done.body':
    'The exchange verified and recorded certificate {number} ({scheme}) of {holder}. Its state now:',
  'attest.done.valid': 'Valid from {from} until {until}.',
  'attest.done.openEnded': 'Valid from {from}, open-ended.',
  'attest.done.list': 'See the certificates you attested',

  'attested.intro':
    'The certificates your party attested, whoever holds them, with their state now. Suspend, reinstate or withdraw one here; each change takes effect at once.',
  'attested.attestLink': 'Attest a certificate',
  'attested.filter.state': 'State',
  'attested.filter.scheme': 'Scheme',
  'attested.filter.holder': 'Holder',
  'attested.filter.any': 'Any',
  'attested.filter.apply': 'Show',
  'attested.empty.title': 'Nothing attested yet',
  'attested.empty.body': 'The certificates you attest appear here with their state.',
  'attested.none.title': 'No certificate matches',
  'attested.none.body': 'Choose another state, scheme or holder, or clear the filters.',
  'attested.counts': 'Certificates by state',
  'attested.table': 'Certificates you attested',
  'attested.col.number': 'Number',
  'attested.col.scheme': 'Scheme',
  'attested.col.holder': 'Holder',
  'attested.col.state': 'State',
  'attested.col.validFrom': 'Valid from',
  'attested.col.validUntil': 'Valid until',
  'attested.col.actions': 'Actions',
  'attested.openEnded': 'open-ended',
  'attested.daysLeft': '({days} days left)',
  'attested.keyInvalid': 'The key that signed it no longer counts: {detail}',
  'attested.do.suspension': 'Suspend',
  'attested.do.reinstatement': 'Reinstate',
  'attested.do.withdrawal': 'Withdraw',
  'attested.do.suspension.label': 'Suspend {number}',
  'attested.do.reinstatement.label': 'Reinstate {number}',
  'attested.do.withdrawal.label': 'Withdraw {number}',
  'attested.change.suspension': 'Suspend {number} ({scheme})',
  'attested.change.reinstatement': 'Reinstate {number} ({scheme})',
  'attested.change.withdrawal': 'Withdraw {number} ({scheme})',
  'attested.reason': 'Reason',
  'attested.reason.hint': 'Recorded with the change and shown to the buyers who rely on the certificate.',
  'attested.cancel': 'Cancel',
  'attested.withdraw.confirm':
    'A withdrawal is final: {number} can never be reinstated, and buyers are alerted at once. Withdraw it?',
  'attested.withdraw.yes': 'Yes, withdraw it',
  'attested.withdraw.no': 'No, keep it',
  'attested.done.suspension': '{number} is suspended.',
  'attested.done.reinstatement': '{number} is reinstated.',
  'attested.done.withdrawal': '{number} is withdrawn.',

  'issuer.state.pending': 'not yet valid',
  'issuer.state.active': 'active',
  'issuer.state.suspended': 'suspended',
  'issuer.state.withdrawn': 'withdrawn',
  'issuer.state.expired': 'expired',
  'issuer.function.manufacturer': 'Manufacturer',
  'issuer.function.shipper': 'Shipper',
  'issuer.function.ocean-carrier': 'Ocean carrier',
  'issuer.function.air-carrier': 'Air carrier',
  'issuer.function.road-carrier': 'Road carrier',
  'issuer.function.rail-carrier': 'Rail carrier',
  'issuer.function.forwarder': 'Forwarder',
  'issuer.function.warehouse': 'Warehouse',
  'issuer.function.port-terminal': 'Port terminal',
  'issuer.function.customs-broker': 'Customs broker',
  'issuer.error.scheme': 'Choose the scheme of the certificate.',
  'issuer.error.schemeNotYours': 'Your party is not registered to attest this scheme.',
  'issuer.error.numberLong': 'A certificate number has at most 100 characters.',
  'issuer.error.functions': 'Choose at least one function the certificate covers.',
  'issuer.error.sites': 'Not a UN/LOCODE (two letters, then three letters or digits 2–9): {sites}',
  'issuer.error.date': 'Enter a date.',
  'issuer.error.untilBeforeFrom': 'The end of validity must come after its start.',
  'issuer.error.tierLong': 'A tier has at most 50 characters.',
  'issuer.error.reason': 'Say why: the reason is recorded with the change.',
  'issuer.error.reasonLong': 'A reason has at most 500 characters.',
  'issuer.error.publicKey.shape': 'This file is neither a public JWK nor a JWKS ({"keys": [...]}).',
  'issuer.error.publicKey.empty': 'This JWKS has no key in it.',
  'issuer.error.publicKey.private':
    'This file holds a private key: it was not sent. Choose the public key (the JWKS “pdx keygen” printed); the private key stays with its owner.',

  'parties.intro':
    'Register a business partner, buyer or issuer with its public keys (POST /v1/parties). The party makes its key pair with “pdx keygen” and gives you only the public JWKS it printed.',
  'parties.form.title': 'Register a party',
  'parties.partyId': 'Party id',
  'parties.partyId.hint':
    'Chosen now and never changed: lower-case letters, digits and hyphens, e.g. acme-logistics.',
  'parties.legalName': 'Legal name',
  'parties.country': 'Country',
  'parties.country.hint': 'ISO 3166-1 code of the country of establishment, e.g. DE.',
  'parties.roles': 'Roles',
  'parties.role.partner': 'Business partner',
  'parties.role.buyer': 'Buyer',
  'parties.role.issuer': 'Issuer',
  'parties.issuerOf': 'Schemes it attests',
  'parties.issuerOf.hint': 'Scheme catalogue ids separated by commas, e.g. eu-aeo-aeos, eu-aeo-aeof.',
  'parties.identifiers': 'Identifiers (optional)',
  'parties.identifiers.hint':
    'One a line: the register ({schemes}), then the value, e.g. EORI DE123456789012345.',
  'parties.jwks': 'Public key file',
  'parties.jwks.hint':
    'The JWKS (or one public JWK) the party gave you. A private key is refused here and never sent.',
  'parties.keysRead': 'Public keys read: {kids}',
  'parties.submit': 'Register the party',
  'parties.error.country': 'Enter the two-letter country code, e.g. DE.',
  'parties.error.roles': 'Choose at least one role.',
  'parties.error.identifier': 'Line {line}: write the register ({schemes}), a space, then the value.',
  'parties.error.issuerOf': 'An issuer attests at least one scheme: enter its scheme ids.',
  'parties.error.issuerOfNotIssuer': 'Only a party with the role issuer attests schemes.',
  'parties.error.schemeId': 'A scheme id is lower-case letters, digits and hyphens, e.g. eu-aeo-aeos.',
  'parties.error.jwks': 'Choose the party’s public key file.',
  'parties.done.title': '{partyId} is registered',
  'parties.done.keys': 'Keys',
  'parties.done.registeredAt': 'Registered',
  'parties.done.next': 'The party can sign in now with its private key file and its party id.',

  'keys.intro':
    'The keys registered for your party. Give each member of staff a sign-in key of their own, for authentication only: it cannot sign your declarations or attestations, and you can revoke it alone when the person leaves.',
  'keys.table': 'Your party’s keys',
  'keys.col.kid': 'Key id (kid)',
  'keys.col.alg': 'Algorithm',
  'keys.col.purposes': 'Purposes',
  'keys.col.added': 'Added',
  'keys.col.state': 'State',
  'keys.col.actions': 'Actions',
  'keys.purpose.authentication': 'sign-in',
  'keys.purpose.signing': 'signing',
  'keys.state.active': 'in use',
  'keys.state.revoked': 'revoked',
  'keys.state.revoking': 'revocation planned',
  'keys.revokedFrom': 'from {date} ({reason})',
  'keys.reason.retired': 'retired (the person left, or it is no longer used)',
  'keys.reason.superseded': 'superseded (replaced by a new key)',
  'keys.reason.compromised': 'compromised (someone else may have it)',
  'keys.revoke': 'Revoke',
  'keys.revoke.label': 'Revoke {kid}',
  'keys.revoke.title': 'Revoke {kid}',
  'keys.revoke.body':
    'From now on the key gets no access token and signs nothing the exchange accepts; whoever signs in with it loses access at the next token renewal. This cannot be undone.',
  'keys.revoke.reason': 'Reason',
  'keys.revoke.submit': 'Revoke {kid}',
  'keys.revoked': '{kid} is revoked.',
  'keys.added': '{kid} is added. Its owner can sign in with their key file and your party id.',
  'keys.add.title': 'Add a staff member’s sign-in key',
  'keys.add.step1':
    'The staff member makes a key pair on their own computer (with their name as the key id), and keeps the private key file to themselves:',
  'keys.add.command':
    'pdx keygen --out anna.key.json --kid acme-anna --purpose authentication > anna.jwks.json',
  'keys.add.step2': 'They give you the public half only: the file anna.jwks.json it printed.',
  'keys.add.step3':
    'You choose that file here and add it. They then sign in with anna.key.json and your party id.',
  'keys.add.file': 'Public key file',
  'keys.add.file.hint':
    'The JWKS “pdx keygen” printed, with one key. A private key is refused here and never sent.',
  'keys.add.purposes': 'What the key may do',
  'keys.add.purposes.hint':
    'Sign-in only is right for staff: a key that may sign can sign declarations and attestations in your party’s name.',
  'keys.add.submit': 'Add the key',
  'keys.error.file': 'Choose the public key file.',
  'keys.error.oneKey': 'This file has several keys: choose a file with the one key to add.',
  'keys.error.purposes': 'Choose at least one purpose.',
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
