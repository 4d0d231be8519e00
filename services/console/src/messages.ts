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
  'invite.title': 'Invite partners',
  'invite.intro':
    'Offer a link to each business partner for its scope of service: what it does for you, and where. The partner accepts the offer; then its status appears under Partners.',
  'invite.one.title': 'Offer one link',
  'invite.partnerId': 'Partner id',
  'invite.partnerId.hint': 'The party id the partner is registered with, e.g. acme-logistics.',
  'invite.functions': 'Functions',
  'invite.functions.hint': 'What the partner does for you (ISO 28001 scope of service). Choose at least one.',
  'invite.locations': 'Locations',
  'invite.locations.hint':
    'UN/LOCODEs of the sites concerned, separated by spaces or commas, e.g. DEHAM NLRTM. Optional.',
  'invite.submit': 'Offer the link',
  'invite.sending': 'Sending…',
  'invite.one.created': 'Offered to {partnerId}: it appears under Partners once it accepts.',
  'invite.one.linked': '{partnerId} already has this offer ({state}): nothing changed.',
  'invite.state.offered': 'waiting for its acceptance',
  'invite.state.accepted': 'accepted',
  'invite.state.ended': 'ended',
  'invite.csv.title': 'Import a CSV file',
  'invite.csv.intro':
    'One row per partner, the first row naming the columns. Importing the same file again changes nothing: rows already offered are reported as already linked.',
  'invite.csv.columns': 'The columns',
  'invite.csv.col.name': 'Column',
  'invite.csv.col.required': 'Required',
  'invite.csv.col.meaning': 'What it holds',
  'invite.csv.yes': 'yes',
  'invite.csv.no': 'no',
  'invite.csv.col.partnerId': 'The partner’s party id.',
  'invite.csv.col.functions':
    'Its functions, separated by semicolons or spaces (in quotes when separated by commas): {list}.',
  'invite.csv.col.locations': 'Its sites as UN/LOCODEs, separated the same way, e.g. DEHAM;NLRTM.',
  'invite.csv.format':
    'Comma-separated, UTF-8 (with or without a byte order mark), CRLF or LF line ends; a field in double quotes may hold commas.',
  'invite.csv.sample': 'Download a sample file',
  'invite.csv.file': 'CSV file',
  'invite.csv.file.hint': 'Nothing is sent before you start the import.',
  'invite.csv.missing': 'Choose a CSV file.',
  'invite.csv.ready': '{count} rows read from {file}.',
  'invite.csv.ready.one': '1 row read from {file}.',
  'invite.csv.start': 'Import {count} rows',
  'invite.csv.progress': 'Import progress',
  'invite.csv.progressText': '{done} of {total} rows sent',
  'invite.csv.finished': 'Import finished: {created} created, {linked} already linked, {error} with errors.',
  'invite.csv.results': 'The result of each row',
  'invite.csv.errorsFirst': 'Rows with errors are listed first.',
  'invite.csv.col.line': 'Line',
  'invite.csv.col.partner': 'Partner',
  'invite.csv.col.result': 'Result',
  'invite.result.created': 'created',
  'invite.result.linked': 'already linked',
  'invite.result.error': 'error',
  'invite.result.waiting': 'waiting',
  'invite.result.column': '{column}: {message}',
  'invite.csv.unclosed-quote': 'Line {line}: a quote opens a field and is never closed.',
  'invite.csv.text-after-quote': 'Line {line}: there is text after the closing quote of a field.',
  'invite.csv.empty': 'The file has no rows below its header row. Start from the sample file.',
  'invite.csv.unknownColumn':
    'The file has a column “{column}” this page does not know: the columns are partnerId, functions, locations.',
  'invite.csv.missingColumn': 'The file has no column “{column}”: the first row names the columns.',
  'invite.csv.tooMany': 'The file has {count} rows; import at most {max} at once.',
  'invite.row.partnerId.missing': 'no partner id.',
  'invite.row.partnerId.pattern':
    '“{value}” is not a party id: lower-case letters, digits and hyphens, up to 64 characters.',
  'invite.row.duplicate': '{partnerId} is listed already on line {line}: one row per partner.',
  'invite.row.functions.missing': 'no function: name at least one.',
  'invite.row.function': '“{value}” is not a function; use one of {list}.',
  'invite.row.location':
    '“{value}” is not a UN/LOCODE: two letters for the country and three letters or digits 2–9, e.g. DEHAM.',
  'invite.row.locations.tooMany': 'more than 200 locations: split the scope.',
  'invite.error.locations': 'These are not UN/LOCODEs: {values}.',
  'policy.title': 'Recognition policy',
  'policy.intro':
    'Which certificates and approvals you accept as grounds for exempting a partner (ISO 28001 4.3, 4.4), from whom, when you are alerted, and how you review partners (4.5). Each save is a new version; past decisions keep the version they were made with.',
  'policy.version': 'Version {version}',
  'policy.version.default': 'Version 0: the default for your country (from the mutual recognition data).',
  'policy.version.set': 'Version {version}, in force since {date}, set by {by}.',
  'policy.catalogue': 'Scheme catalogue version {version}, as of {date}.',
  'policy.schemes.title': 'Schemes that can ground an exemption',
  'policy.schemes.caption': 'Tick the schemes you recognise; name issuers to accept only theirs.',
  'policy.evidence.title': 'Evidence for a review only',
  'policy.evidence.caption':
    'These never ground an exemption. Tick those whose certificates may lower a partner’s risk tier by one step.',
  'policy.col.recognised': 'Recognised',
  'policy.col.lowers': 'Lowers the risk tier',
  'policy.col.scheme': 'Scheme',
  'policy.col.kind': 'Kind',
  'policy.col.where': 'Jurisdiction',
  'policy.col.grounds': 'Can ground',
  'policy.col.issuers': 'Issuers',
  'policy.grounds.none': 'nothing',
  'policy.evidenceOnly': 'evidence only',
  'policy.recognise': 'Recognise {scheme}',
  'policy.lowers': '{scheme} lowers the risk tier',
  'policy.issuers.label': 'Issuers of {scheme}',
  'policy.issuers.any': 'any registered issuer',
  'policy.kind.aeo-programme': 'AEO programme',
  'policy.kind.certification': 'certification',
  'policy.kind.verification': 'verification',
  'policy.kind.approval': 'approval',
  'policy.alerts.title': 'Alerts',
  'policy.thresholds': 'Alert thresholds (days before a certificate expires)',
  'policy.thresholds.hint': 'Whole days, separated by commas, e.g. 90, 30, 7.',
  'policy.digest': 'Send one digest from this many alerts at once',
  'policy.digest.hint': 'At least 2.',
  'policy.review.title': 'Reviews (ISO 28001 4.5)',
  'policy.review.functions': 'High-risk functions',
  'policy.review.functions.hint': 'None ticked: the default (carriers and terminals).',
  'policy.review.tier': '{tier} risk',
  'policy.review.months': 'Review every (months), {tier} risk',
  'policy.review.method': 'Review method, {tier} risk',
  'policy.review.default': 'default: {value}',
  'policy.review.first': 'First review within (days)',
  'policy.review.first.hint': 'Empty: the default, 30 days.',
  'policy.method.document-review': 'document review',
  'policy.method.questionnaire': 'questionnaire',
  'policy.method.site-visit': 'site visit',
  'policy.diff.title': 'What changes',
  'policy.diff.none': 'Nothing changes yet: edit the policy above.',
  'policy.diff.intro': 'Saving makes version {version} with these changes from version {from}:',
  'policy.diff.added': 'added: {items}',
  'policy.diff.removed': 'removed: {items}',
  'policy.diff.value': '{before} → {after}',
  'policy.diff.unset': '(default)',
  'policy.field./schemes': 'Recognised schemes',
  'policy.field./issuers': 'Issuers of {scheme}',
  'policy.field./alertThresholdsDays': 'Alert thresholds (days)',
  'policy.field./digestThreshold': 'Digest from',
  'policy.field./review/highRiskFunctions': 'High-risk functions',
  'policy.field./review/riskReducingEvidence': 'Evidence that lowers the risk tier',
  'policy.field./review/firstReviewWithinDays': 'First review within (days)',
  'policy.field./review/tiers/intervalMonths': 'Review every (months), {tier} risk',
  'policy.field./review/tiers/method': 'Review method, {tier} risk',
  'policy.save': 'Save version {version}',
  'policy.saved': 'Saved: version {version} is in force.',
  'policy.error.days': '“{value}” is not a whole number of days.',
  'policy.error.number': '“{value}” is not a whole number.',
  'policy.conflict':
    'Someone else saved version {version} while you were editing version {from}: nothing of yours was saved. Your edits are kept below, now compared with version {version}; check what changes, then save again.',
  'policy.conflict.discard': 'Discard my edits and show version {version}',
  'statement.title': 'Statement of Application',
  'statement.intro':
    'Your Statement of Application (ISO 28001 4.1) as the exchange signs it now: your partners, the exemptions with their evidence, what is still owed. Print it for a validator, or download the signed JSON it can verify.',
  'statement.print': 'Print',
  'statement.download': 'Download the signed JSON',
  'statement.download.hint':
    'Exactly what the exchange signed. A validator checks it with “pdx verify-statement” or on the Verify page.',
  'statement.document': 'Statement of Application · ISO 28001 4.1',
  'statement.generated': 'Generated',
  'statement.exchange': 'Exchange',
  'statement.policyVersion': 'Recognition policy version',
  'statement.catalogueVersion': 'Scheme catalogue version',
  'statement.buyer': 'The buyer',
  'statement.identifiers': 'Identifiers',
  'statement.country': 'Country',
  'statement.scope': 'The part of the supply chain covered',
  'statement.functions': 'Functions',
  'statement.locations': 'Locations',
  'statement.summary': 'Partners by status',
  'statement.partners': 'Business partners ({count})',
  'statement.none':
    'No business partner is linked yet: invite your partners, and once they accept they are listed here.',
  'statement.none.link': 'Invite partners',
  'statement.status': 'Status',
  'statement.clauses': 'Clauses',
  'statement.risk': 'Risk tier',
  'statement.exemption': 'Exemption under {clause}',
  'statement.coverage': 'Covered in part under 4.3',
  'statement.evidence': 'Supporting evidence for the review (never grounds for an exemption)',
  'statement.cert.scheme': 'Scheme',
  'statement.cert.number': 'Number',
  'statement.cert.issuer': 'Issued by',
  'statement.cert.trust': 'Trust',
  'statement.cert.valid': 'Valid',
  'statement.cert.state': 'State',
  'statement.cert.functions': 'Functions',
  'statement.cert.validRange': '{from} to {until}',
  'statement.cert.openEnded': 'from {from}, open-ended',
  'statement.trust.attested': 'attested by the issuer',
  'statement.trust.claimed': 'claimed, confirmed by {reviewer}',
  'statement.declaration':
    'Declaration of Security {id}: issued {issued}, valid {from} to {until}; areas {areas}',
  'statement.review': 'Review {id} on {date}: {method}, {outcome}',
  'statement.nextReview': 'Next review due {date}',
  'statement.obligations': 'Obligations',
  'statement.obligations.none': 'None.',
  'statement.signature': 'The exchange’s signature',
  'statement.signature.body':
    'Signed by the exchange key {kid} ({alg}) over the RFC 8785 canonical JSON of this statement; digest {digest}.',
  'statement.signature.missing': 'This statement carries no signature.',
  'statement.signoff': 'Validated by',
  'statement.signoff.name': 'Name',
  'statement.signoff.authority': 'Authority',
  'statement.signoff.date': 'Date',
  'statement.signoff.signature': 'Signature',
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
