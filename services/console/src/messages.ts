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
  'attested.section': 'Attested certificates',
  // ── end: issuer and operator ──

  // ── Validator ──
  'verify.section': 'Verify',
  'verify.title': 'Verify a statement or a ledger entry',
  'verify.intro':
    'Open a Statement of Application (the signed file a buyer downloads) or an exemption entry of the ledger, and see three checks. This browser computes each of them itself: the exchange sends keys, tree heads and proofs, and none is believed until it verifies. No account is needed.',
  'verify.file.legend': 'A file',
  'verify.file.label': 'Statement of Application or ledger entry',
  'verify.file.hint':
    'A .json or .html file: the statement as GET /v1/statement-of-application gives it (JSON or the printable page), or an entry as GET /v1/ledger/entries/{seq} gives it.',
  'verify.file.json': 'This file is not JSON, nor a statement’s printable page.',
  'verify.file.page': 'This page embeds no readable statement: save it again from the exchange.',
  'verify.file.unknown':
    'This file is neither a Statement of Application nor a ledger entry: open the file the exchange gave.',
  'verify.file.missing': 'Choose a file to verify.',
  'verify.file.submit': 'Verify the file',
  'verify.seq.legend': 'A ledger entry by its number',
  'verify.seq.label': 'Entry number',
  'verify.seq.hint': 'The position of the entry in the ledger (seq), 0 for the first.',
  'verify.seq.missing': 'Enter the number of the entry.',
  'verify.seq.pattern': 'An entry number is a whole number, 0 or more.',
  'verify.seq.submit': 'Verify the entry',
  'verify.busy': 'Verifying…',
  'verify.results': 'Checks',
  'verify.results.of': 'Checks of {what}',
  'verify.what.statement': 'the Statement of Application of {buyer}',
  'verify.what.entry': 'ledger entry {seq}',
  'verify.allPassed': 'All checks passed.',
  'verify.someFailed': 'Not verified: {count} of the checks failed. Read why below.',
  'verify.state.pass': 'Passed',
  'verify.state.fail': 'Failed',
  'verify.state.first': 'First visit',
  'verify.state.skipped': 'Not checked',
  'verify.check.signature': 'The exchange signed this statement',
  'verify.check.head': 'The ledger signed its tree head',
  'verify.check.inclusion': 'Included in the ledger’s signed tree head',
  'verify.check.consistency': 'Consistent with the last tree head this browser saw',
  'verify.meaning.signature':
    'Do not rely on this statement: it was changed after the exchange signed it, or the exchange did not sign it. Ask the buyer for the statement as the exchange issued it.',
  'verify.meaning.head':
    'The tree head is not what the exchange’s ledger key signed: nothing the ledger says here can be relied on.',
  'verify.meaning.inclusion':
    'The ledger does not confirm this exemption as written: treat the partner as not exempt until the buyer or the exchange explains the difference.',
  'verify.meaning.consistency':
    'The ledger now tells another history than it told this browser before: entries may have been removed or changed. Report it to the exchange’s operator.',
  'verify.signature.pass':
    'Signed with {kid} ({alg}), one of the keys the exchange publishes, over this statement exactly as it is.',
  'verify.head.pass':
    'The tree head of {origin} (tree size {size}) is signed with the ledger key {kid}, which the exchange publishes.',
  'verify.inclusion.pass':
    'Every exemption the statement names ({count}) is an entry of the ledger, included in its signed tree head (tree size {size}).',
  'verify.inclusion.fail':
    'Exemptions the statement names that the ledger does not confirm: {failed} of {count}.',
  'verify.inclusion.none': 'The statement names no exemption: there is nothing to find in the ledger.',
  'verify.inclusion.skipped':
    'Not checked: without a tree head the ledger signed, there is nothing to check the entry against.',
  'verify.line.included':
    'Entry {seq} ({kind}, {partner}) is included in the signed tree head (tree size {size}).',
  'verify.consistency.first':
    'This browser had not seen the ledger {origin} before: there is nothing to compare yet. It remembers this head (tree size {size}, signed {at}) and checks the next one against it.',
  'verify.consistency.same': 'The same tree head (tree size {size}) this browser saw before ({beforeAt}).',
  'verify.consistency.pass':
    'The ledger grew from tree size {before} to {size}, and the proof shows it only appended: the entries this browser saw on {beforeAt} are unchanged. It now remembers this head.',
  'verify.consistency.skipped':
    'Not checked: without a tree head the ledger signed, there is nothing to compare.',
  'verify.reason.unreachable': 'The exchange could not give what this check needs: {detail}',
  'verify.reason.unsigned': 'The file carries no signature: it is not a signed Statement of Application.',
  'verify.reason.jwsShape': 'Its signature is not a detached JWS (header..signature).',
  'verify.reason.header': 'Its signature’s header cannot be read.',
  'verify.reason.typ': 'Its signature is of type {typ}, not {want}: it was not made for a statement.',
  'verify.reason.alg': 'Its signature uses {alg}; the exchange signs with EdDSA or ES256 only.',
  'verify.reason.unknownKey':
    'Signed with the key {kid}, which is not among the keys the exchange publishes ({known}).',
  'verify.reason.keyKind': 'The exchange’s key {kid} is not a {alg} key: another key signed this.',
  'verify.reason.digest':
    'The statement was changed after it was signed: it hashes to {actual}, its signature records {recorded}.',
  'verify.reason.badSignature':
    'The signature does not verify with {kid}: another key signed it, or the statement was changed.',
  'verify.reason.headShape': 'The tree head’s signature is not a compact JWS.',
  'verify.reason.headHeader': 'The tree head’s signature is not an EdDSA JWS of type {want}.',
  'verify.reason.headSignature': 'The tree head’s signature does not verify with the ledger key {kid}.',
  'verify.reason.headPayload': 'The signed tree head lacks its origin, size, root hash or time.',
  'verify.reason.headField': 'The tree head’s {field} is not what its signature covers.',
  'verify.reason.notCanonical':
    'Entry {seq} as in this file is not the exact text the ledger hashes (canonical JSON): it was changed.',
  'verify.reason.seq': 'The file says entry {seq}, its content says {inside}.',
  'verify.reason.notYet':
    'Entry {seq} ({partner}) is not in a signed tree head yet: the latest head is of tree size {size}. Heads are signed moments after an entry; try again shortly.',
  'verify.reason.notIncluded':
    'Entry {seq} as in this file is not the one the ledger recorded at that position: {reason}.',
  'verify.reason.noEntry':
    'The ledger records no exemption of {partner} under {clause} by the statement’s date.',
  'verify.reason.otherEntry':
    'For {partner} the ledger’s last entry by the statement’s date is entry {seq}, {kind} under {recorded}; the statement says {stated}.',
  'verify.reason.shrank':
    'The ledger was of tree size {before} when this browser saw it on {beforeAt}; its signed head now says {size}: entries were removed.',
  'verify.reason.fork':
    'The ledger signed a root hash for tree size {size} other than the one this browser saw on {beforeAt}: its history was rewritten.',
  'verify.reason.inconsistent':
    'The head of tree size {size} does not extend the head of tree size {before} this browser saw on {beforeAt}: {reason}.',
  'verify.says': 'What the statement says',
  'verify.says.unverified': 'Shown as the file has it: it is not verified.',
  'verify.says.buyer': 'Buyer',
  'verify.says.generated': 'Generated',
  'verify.says.scope': 'Scope',
  'verify.says.partners': 'Partners',
  'verify.says.exemptions': 'Exemptions',
  'verify.says.partnersTable': 'Partners the statement names',
  'verify.col.partner': 'Partner',
  'verify.col.status': 'Status',
  'verify.col.clauses': 'Clauses',
  'verify.col.exemption': 'Exemption rests on',
  'verify.none': '—',
  'verify.certificate': '{scheme} {number}, by {issuer} ({state})',
  'verify.entry.says': 'What the entry says',
  'verify.entry.kind': 'Kind',
  'verify.entry.buyer': 'Buyer',
  'verify.entry.partner': 'Partner',
  'verify.entry.clause': 'Clause',
  'verify.entry.basis': 'Basis',
  'verify.entry.certificates': 'Certificates',
  'verify.entry.decided': 'Decided',
  'verify.empty':
    'Nothing verified yet. Choose a file above, or enter the number of a ledger entry: the checks appear here.',
  'verify.signIn': 'This exchange’s ledger is only open to signed-in callers: sign in, then verify here.',
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
