import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { type MessageKey, t } from './messages.js';
import { Partners } from './pages/partners.js';
import { SignIn } from './pages/sign-in.js';
import { navigate, onLinkClick, route } from './router.js';
import { type Role, restore, type Session, session, signOut } from './session.js';

/** A page of the navigation: who sees it, and what the API offers until the console has it. */
interface Page {
  path: string;
  label: MessageKey;
  roles: readonly Role[];
  /** Not in the console yet: the API route that does it. */
  api?: string;
}

export const pages: readonly Page[] = [
  { path: '/partners', label: 'nav.partners', roles: ['buyer'] },
  { path: '/buyers', label: 'nav.buyers', roles: ['partner'], api: 'GET /v1/relationships' },
  { path: '/attested', label: 'nav.attested', roles: ['issuer'], api: 'GET /v1/certificates' },
  { path: '/parties', label: 'nav.parties', roles: ['operator'], api: 'POST /v1/parties' },
];

/** The pages a session's roles open, in navigation order. */
export const pagesFor = (roles: readonly Role[]) =>
  pages.filter((p) => p.roles.some((r) => roles.includes(r)));

function Home({ session }: { session: Session }) {
  const lines = (['buyer', 'partner', 'issuer', 'operator'] as const).filter((r) =>
    session.roles.includes(r),
  );
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t('home.title')}</h1>
      {lines.length === 0 ? (
        <p>{t('home.none')}</p>
      ) : (
        <>
          <p>{t('home.intro')}</p>
          <ul>
            {lines.map((r) => (
              <li key={r}>{t(`home.${r}`)}</li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

function Later({ page }: { page: Page }) {
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t(page.label)}</h1>
      <p>{t('later.body', { api: page.api ?? '' })}</p>
    </main>
  );
}

function Shell({ session }: { session: Session }) {
  const nav = pagesFor(session.roles);
  const current = nav.find((p) => p.path === route.value);
  // The first page of the person's roles when the path is none of theirs.
  useEffect(() => {
    if (!current && route.value !== '/') navigate(nav[0]?.path ?? '/');
    else if (route.value === '/' && nav[0]) navigate(nav[0].path);
  }, [current, nav]);
  const who = session.party ? `${session.party.legalName} (${session.partyId})` : t('shell.operator');
  const roles = session.roles.join(', ');
  return (
    <>
      <a class="skip" href="#content">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <span class="who">
          {t('shell.signedInAs', { who })}
          {roles && <span class="roles"> · {t('shell.roles', { roles })}</span>}
        </span>
        <button type="button" class="secondary" onClick={() => void signOut()}>
          {t('shell.signOut')}
        </button>
      </header>
      <div class="layout">
        <nav aria-label={t('shell.nav')}>
          <ul>
            {nav.map((p) => (
              <li key={p.path}>
                <a
                  href={p.path}
                  onClick={onLinkClick}
                  aria-current={p.path === route.value ? 'page' : undefined}
                >
                  {t(p.label)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {current?.path === '/partners' ? (
          <Partners session={session} />
        ) : current ? (
          <Later page={current} />
        ) : (
          <Home session={session} />
        )}
      </div>
    </>
  );
}

export function App() {
  const restoring = useSignal(true);
  useEffect(() => {
    void restore().finally(() => {
      restoring.value = false;
    });
  }, []);
  // Each page starts at its heading for screen readers and the keyboard.
  useEffect(() => {
    document.title = `${t('app.name')}`;
  }, [route.value]);
  if (restoring.value)
    return (
      <main id="content">
        <p aria-live="polite">{t('signIn.restoring')}</p>
      </main>
    );
  return session.value ? <Shell session={session.value} /> : <SignIn />;
}
