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
  'certificates.intro':
    'The certificates of your linked business partners, the one lapsing soonest first. A certificate counts for a partner only while it is in force.',
  'certificates.table': 'Your partners’ certificates, soonest expiry first',
  'certificates.col.certificate': 'Certificate',
  'certificates.col.partner': 'Partner',
  'certificates.col.state': 'State',
  'certificates.col.validUntil': 'Valid until',
  'certificates.col.daysLeft': 'Days left',
  'certificates.col.trust': 'Basis',
  'certificates.days.left': '{days} days left',
  'certificates.days.one': '1 day left',
  'certificates.days.today': 'expires today',
  'certificates.days.ago': 'expired {days} days ago',
  'certificates.days.agoOne': 'expired 1 day ago',
  'certificates.days.open': 'no end date',
  'certificates.state.pending': 'not yet valid',
  'certificates.state.active': 'in force',
  'certificates.state.suspended': 'suspended',
  'certificates.state.withdrawn': 'withdrawn',
  'certificates.state.expired': 'expired',
  'certificates.trust.attested': 'attested by {issuer}',
  'certificates.trust.claimed': 'claimed by the partner',
  'certificates.keyInvalid': 'The issuer’s key was revoked: this attestation grounds nothing.',
  'certificates.chart.title': 'Expiries per month, next 12 months',
  'certificates.chart.desc':
    '{total} certificates expire in the next 12 months; the most in one month: {max}.',
  'certificates.chart.table': 'Certificates expiring per month',
  'certificates.chart.month': 'Month',
  'certificates.chart.count': 'Certificates expiring',
  'certificates.empty.title': 'No certificates yet',
  'certificates.empty.body':
    'Your partners’ certificates appear here once a partner you are linked with has one attested by its issuer or claims one. Offer links under “Invite partners”, and ask your partners to record their certificates.',
  'certificates.lookup': 'Check a certificate',
  'certificates.lookup.intro':
    'Any certificate on the exchange by its scheme and number (a prospective partner’s, say): whether it is known, who holds it and whether it is in force now.',
  'certificates.lookup.scheme': 'Scheme',
  'certificates.lookup.scheme.hint':
    'The scheme’s id on the exchange, e.g. iso-28000, eu-aeo-aeos, us-ctpat or isps-issc.',
  'certificates.lookup.number': 'Certificate number',
  'certificates.lookup.number.hint': 'As printed on the certificate; spaces and letter case do not matter.',
  'certificates.lookup.submit': 'Check',
  'certificates.lookup.busy': 'Checking…',
  'certificates.lookup.scheme.missing': 'Enter the scheme id.',
  'certificates.lookup.number.missing': 'Enter the certificate number.',
  'certificates.lookup.notFound': 'The exchange knows no {scheme} certificate numbered {number}.',
  'certificates.lookup.found': '{number} ({scheme}) is held by {holder}: {state}, {days}.',
  'certificates.lookup.attested': 'Attested by its issuer.',
  'certificates.lookup.claimed': 'Claimed by its holder, not attested by an issuer.',
  'certificates.lookup.asOf': 'As the exchange knew it on {date}.',

  'alerts.intro':
    'What happened to your partners’ certificates, newest first. New alerts appear here as they are made, without reloading.',
  'alerts.inbox': 'Inbox',
  'alerts.live.connecting': 'Connecting to the live stream…',
  'alerts.live.live': 'Live: new alerts appear here as they happen.',
  'alerts.live.reconnecting': 'The live stream dropped; connecting again (no alert is missed)…',
  'alerts.live.closed': 'The live stream is closed.',
  'alerts.live.failed': 'The live stream was refused: {detail}. Reload the page to try again.',
  'alerts.announce.one': 'New alert: {text}',
  'alerts.announce.many': '{count} new alerts; the latest: {text}',
  'alerts.unread': '{count} to acknowledge',
  'alerts.unread.one': '1 to acknowledge',
  'alerts.unread.none': 'All acknowledged',
  'alerts.acknowledge': 'Acknowledge',
  'alerts.acknowledge.label': 'Acknowledge the alert about {number}',
  'alerts.acknowledged': 'Acknowledged {date}',
  'alerts.new': 'New',
  'alerts.occurred': 'Happened {date}',
  'alerts.partner': 'Open {holder}’s page',
  'alerts.empty.title': 'No alerts',
  'alerts.empty.body':
    'You get an alert when a certificate of a linked partner nears its end, expires, is suspended, reinstated, withdrawn or renewed. Nothing to do now; add a webhook below to get them in your own systems too.',
  'alerts.kind.expiring': '{holder}’s certificate {number} ({scheme}) expires in {days} days, on {date}.',
  'alerts.kind.expiringOne': '{holder}’s certificate {number} ({scheme}) expires tomorrow, on {date}.',
  'alerts.kind.expired': '{holder}’s certificate {number} ({scheme}) expired on {date}.',
  'alerts.kind.suspended': 'The issuer suspended {holder}’s certificate {number} ({scheme}).',
  'alerts.kind.reinstated': 'The issuer reinstated {holder}’s certificate {number} ({scheme}).',
  'alerts.kind.withdrawn': 'The issuer withdrew {holder}’s certificate {number} ({scheme}) for good.',
  'alerts.kind.renewed': '{holder}’s certificate {number} ({scheme}) was renewed, now valid until {date}.',
  'alerts.kind.renewedOpen': '{holder}’s certificate {number} ({scheme}) was renewed.',
  'alerts.reason': 'Reason given: {reason}',
  'alerts.todo.expiring': 'Ask {holder} for the renewed certificate before then.',
  'alerts.todo.expired':
    'It no longer covers {holder}: ask for the renewed certificate, or for a Declaration of Security.',
  'alerts.todo.suspended':
    'Until it is reinstated it grounds no exemption: check {holder}’s status and ask what happened.',
  'alerts.todo.reinstated': 'Nothing to do: the certificate counts again.',
  'alerts.todo.withdrawn':
    'It will not count again: ask {holder} for another certificate or a Declaration of Security.',
  'alerts.todo.renewed': 'Nothing to do: the certificate goes on counting.',
  'alerts.webhooks': 'Webhooks',
  'alerts.webhooks.intro':
    'The exchange also POSTs each alert, signed, to the addresses you add here (your own systems). Receivers check the signature with the key shown.',
  'alerts.webhooks.table': 'Your webhooks',
  'alerts.webhooks.col.url': 'Address',
  'alerts.webhooks.col.kinds': 'Alerts sent',
  'alerts.webhooks.col.added': 'Added',
  'alerts.webhooks.col.actions': 'Actions',
  'alerts.webhooks.allKinds': 'all',
  'alerts.webhooks.key': 'Receivers verify the Standard Webhooks signature with {key} (key id {kid}).',
  'alerts.webhooks.remove': 'Remove',
  'alerts.webhooks.remove.label': 'Remove the webhook {url}',
  'alerts.webhooks.removed': 'Webhook {url} removed.',
  'alerts.webhooks.added': 'Webhook {url} added.',
  'alerts.webhooks.none':
    'No webhooks: alerts are only in this inbox. Add one to have them sent to your systems.',
  'alerts.webhooks.add': 'Add a webhook',
  'alerts.webhooks.url': 'Address (URL)',
  'alerts.webhooks.url.hint':
    'An https address of your system that accepts POST requests, e.g. https://hooks.example.com/pdx. Addresses in the exchange’s own network are refused.',
  'alerts.webhooks.kinds': 'Which alerts',
  'alerts.webhooks.kinds.hint': 'None ticked: all of them.',
  'alerts.webhooks.submit': 'Add webhook',
  'alerts.webhooks.url.missing': 'Enter the address the exchange should send alerts to.',
  'alerts.kindName.expiring': 'expiring',
  'alerts.kindName.expired': 'expired',
  'alerts.kindName.suspended': 'suspended',
  'alerts.kindName.reinstated': 'reinstated',
  'alerts.kindName.withdrawn': 'withdrawn',
  'alerts.kindName.renewed': 'renewed',
  'alerts.dead': 'Failed deliveries',
  'alerts.dead.intro':
    'Deliveries your webhook did not accept after every retry. Fix the receiver, then send them again.',
  'alerts.dead.table': 'Deliveries that failed for good',
  'alerts.dead.col.url': 'Address',
  'alerts.dead.col.alerts': 'Alerts',
  'alerts.dead.col.attempts': 'Attempts',
  'alerts.dead.col.error': 'Last answer',
  'alerts.dead.col.actions': 'Actions',
  'alerts.dead.status': 'HTTP {status}',
  'alerts.dead.retry': 'Send again',
  'alerts.dead.retry.label': 'Send delivery {id} again',
  'alerts.dead.retried': 'Delivery {id} will be sent again.',
  'alerts.dead.none':
    'No failed deliveries: every webhook delivery so far was accepted or is still being tried.',

  'reviews.intro':
    'The security reviews (ISO 28001 4.5) you owe your partners, the one due soonest first. Open a partner to record its review.',
  'reviews.table': 'Reviews you owe',
  'reviews.col.partner': 'Partner',
  'reviews.col.reason': 'Why',
  'reviews.col.method': 'How',
  'reviews.col.risk': 'Risk tier',
  'reviews.col.due': 'Due',
  'reviews.col.state': 'State',
  'reviews.overdue': 'overdue',
  'reviews.due': 'due',
  'reviews.overdueCount': '{count} overdue',
  'reviews.overdueCount.one': '1 overdue',
  'reviews.count': '{count} reviews owed',
  'reviews.count.one': '1 review owed',
  'reviews.reason.first-review': 'First review of declaration {declarationId}',
  'reviews.reason.periodic': 'Periodic review of declaration {declarationId}',
  'reviews.reason.after-incident': 'Review after incident {incidentId}',
  'reviews.method.document-review': 'Document review',
  'reviews.method.questionnaire': 'Questionnaire',
  'reviews.method.site-visit': 'Site visit',
  'reviews.empty.title': 'No reviews owed',
  'reviews.empty.body':
    'Nothing is due. A review task opens here when a partner sends you a Declaration of Security, when a periodic review falls due, or after an incident.',
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
