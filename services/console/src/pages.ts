import { type Page, signedIn } from './page.js';
import { AlertsPage } from './pages/alerts.js';
import { AttestPage } from './pages/attest.js';
import { AttestedPage } from './pages/attested.js';
import { BuyersPage } from './pages/buyers.js';
import { CertificatesPage } from './pages/certificates.js';
import { DeclarationPage } from './pages/declaration.js';
import { NewDeclarationPage } from './pages/declaration-new.js';
import { DeclarationsPage } from './pages/declarations.js';
import { InvitePage } from './pages/invite.js';
import { KeysPage } from './pages/keys.js';
import { MyCertificatesPage } from './pages/my-certificates.js';
import { PartiesPage } from './pages/parties.js';
import { PartnerPage } from './pages/partner.js';
import { Partners } from './pages/partners.js';
import { PolicyPage } from './pages/policy.js';
import { ReviewsPage } from './pages/reviews.js';
import { StatementPage } from './pages/statement.js';
import { VerifyPage } from './pages/verify.js';
import type { Role } from './session.js';

/** Every page, in navigation order. The first page of a person's roles is where sign-in leads. */
export const pages: readonly Page[] = [
  // A buyer's pages.
  { pattern: '/partners', label: 'nav.partners', roles: ['buyer'], nav: true, component: signedIn(Partners) },
  {
    pattern: '/partners/:partnerId',
    label: 'nav.partner',
    roles: ['buyer'],
    nav: false,
    component: signedIn(PartnerPage),
    api: 'GET /v1/partner-status/{partnerId}',
  },
  {
    pattern: '/certificates',
    label: 'nav.certificates',
    roles: ['buyer'],
    nav: true,
    component: signedIn(CertificatesPage),
    api: 'GET /v1/certificate-status',
  },
  {
    pattern: '/alerts',
    label: 'nav.alerts',
    roles: ['buyer'],
    nav: true,
    component: signedIn(AlertsPage),
    api: 'GET /v1/alerts',
  },
  {
    pattern: '/reviews',
    label: 'nav.reviews',
    roles: ['buyer'],
    nav: true,
    component: signedIn(ReviewsPage),
    api: 'GET /v1/review-tasks',
  },
  {
    pattern: '/invite',
    label: 'nav.invite',
    roles: ['buyer'],
    nav: true,
    component: signedIn(InvitePage),
    api: 'POST /v1/relationships',
  },
  {
    pattern: '/policy',
    label: 'nav.policy',
    roles: ['buyer'],
    nav: true,
    component: signedIn(PolicyPage),
    api: 'PUT /v1/recognition-policies/{buyerId}',
  },
  {
    pattern: '/statement',
    label: 'nav.statement',
    roles: ['buyer'],
    nav: true,
    component: signedIn(StatementPage),
    api: 'GET /v1/statement-of-application',
  },
  // A partner's pages.
  {
    pattern: '/buyers',
    label: 'nav.buyers',
    roles: ['partner'],
    nav: true,
    component: signedIn(BuyersPage),
    api: 'GET /v1/relationships',
  },
  {
    pattern: '/declarations',
    label: 'nav.declarations',
    roles: ['partner'],
    nav: true,
    component: signedIn(DeclarationsPage),
    api: 'GET /v1/declarations',
  },
  {
    pattern: '/declarations/new',
    label: 'nav.declarationNew',
    roles: ['partner'],
    nav: false,
    component: signedIn(NewDeclarationPage),
    api: 'POST /v1/declarations',
  },
  {
    pattern: '/declarations/:issuer/:declarationId',
    label: 'nav.declaration',
    roles: ['partner', 'buyer'],
    nav: false,
    component: signedIn(DeclarationPage),
    api: 'GET /v1/declarations/{issuer}/{declarationId}',
  },
  {
    pattern: '/my-certificates',
    label: 'nav.myCertificates',
    roles: ['partner'],
    nav: true,
    component: signedIn(MyCertificatesPage),
    api: 'POST /v1/certificates/claims',
  },
  // An issuer's pages.
  {
    pattern: '/attested',
    label: 'nav.attested',
    roles: ['issuer'],
    nav: true,
    component: signedIn(AttestedPage),
    api: 'GET /v1/certificates',
  },
  {
    pattern: '/attest',
    label: 'nav.attest',
    roles: ['issuer'],
    nav: true,
    component: signedIn(AttestPage),
    api: 'POST /v1/certificates/attestations',
  },
  // The operator's.
  {
    pattern: '/parties',
    label: 'nav.parties',
    roles: ['operator'],
    nav: true,
    component: signedIn(PartiesPage),
    api: 'POST /v1/parties',
  },
  // Every party's: the keys of its staff.
  {
    pattern: '/keys',
    label: 'nav.keys',
    roles: ['buyer', 'partner', 'issuer'],
    nav: true,
    component: signedIn(KeysPage),
    api: 'POST /v1/parties/{partyId}/keys',
  },
  // Anyone's, signed in or not: a validator needs no account.
  {
    pattern: '/verify',
    label: 'nav.verify',
    roles: 'public',
    nav: true,
    component: VerifyPage,
    api: 'GET /v1/ledger/proofs/inclusion',
  },
];

/** Whether a person with `roles` may open `page`. */
export const opens = (page: Page, roles: readonly Role[]): boolean =>
  page.roles === 'public' || page.roles.some((r) => roles.includes(r));

/** The navigation of a person with `roles`: their pages first, then the public ones. */
export const navFor = (roles: readonly Role[]): Page[] => {
  const own = pages.filter((p) => p.nav && p.roles !== 'public' && opens(p, roles));
  return [...own, ...pages.filter((p) => p.nav && p.roles === 'public')];
};
