import { useSignal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { LanguageSwitch } from './components/language.js';
import { t } from './messages.js';
import type { Page } from './page.js';
import { SignIn } from './pages/sign-in.js';
import { navFor, opens, pages } from './pages.js';
import { matchPath, navigate, onLinkClick, route } from './router.js';
import { restore, type Session, session, signOut } from './session.js';

/** The page `path` shows, with its parameters. */
export function findPage(path: string): { page: Page; params: Record<string, string> } | undefined {
  for (const page of pages) {
    const params = matchPath(page.pattern, path);
    if (params) return { page, params };
  }
  return undefined;
}

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

function Nav({ nav, current }: { nav: readonly Page[]; current: Page | undefined }) {
  return (
    <nav aria-label={t('shell.nav')}>
      <ul>
        {nav.map((p) => (
          <li key={p.pattern}>
            <a href={p.pattern} onClick={onLinkClick} aria-current={p === current ? 'page' : undefined}>
              {t(p.label)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

function Shell({ session }: { session: Session }) {
  const nav = navFor(session.roles);
  const path = route.value;
  const found = findPage(path);
  const allowed = found && opens(found.page, session.roles) ? found : undefined;
  const first = nav.find((p) => p.roles !== 'public');
  // The first page of the person's roles when the path is none of theirs, in place of it in
  // the history (the back button then leaves, rather than landing here to be sent on again).
  // The effect runs after the render it belongs to; when the location has moved on meanwhile
  // (a link followed, the back button), the next render decides for the new path, and this
  // one must not redirect it.
  useEffect(() => {
    if (route.value !== path) return;
    if (!allowed && path !== '/') navigate(first?.pattern ?? '/', { replace: true });
    else if (path === '/' && first) navigate(first.pattern, { replace: true });
  }, [path, allowed, first]);
  const who = session.party ? `${session.party.legalName} (${session.partyId})` : t('shell.operator');
  const roles = session.roles.join(', ');
  // The navigation entry of a page reached from another (a partner's page under Partners).
  const current = allowed?.page.nav
    ? allowed.page
    : nav.find((p) => allowed?.page.pattern.startsWith(`${p.pattern}/`));
  const Component = allowed?.page.component;
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
        <LanguageSwitch />
        <button type="button" class="secondary" onClick={() => void signOut()}>
          {t('shell.signOut')}
        </button>
      </header>
      <div class="layout">
        <Nav nav={nav} current={current} />
        {Component && allowed ? (
          <Component key={path} session={session} params={allowed.params} page={allowed.page} />
        ) : (
          <Home session={session} />
        )}
      </div>
    </>
  );
}

/** A public page (the validator's) with nobody signed in: the page, and the way to sign in. */
function PublicShell({ page, params }: { page: Page; params: Record<string, string> }) {
  const Component = page.component;
  return (
    <>
      <a class="skip" href="#content">
        {t('app.skip')}
      </a>
      <header class="top">
        <span class="brand">{t('app.name')}</span>
        <span class="who" />
        <LanguageSwitch />
        <a class="top-link" href="/" onClick={onLinkClick}>
          {t('shell.signIn')}
        </a>
      </header>
      <div class="layout public">
        <Component session={null} params={params} page={page} />
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
  const found = findPage(route.value);
  useEffect(() => {
    document.title = found ? `${t(found.page.label)} · ${t('app.name')}` : t('app.name');
  }, [found?.page]);
  if (restoring.value)
    return (
      <main id="content">
        <p aria-live="polite">{t('signIn.restoring')}</p>
      </main>
    );
  if (session.value) return <Shell session={session.value} />;
  if (found?.page.roles === 'public') return <PublicShell page={found.page} params={found.params} />;
  return <SignIn />;
}
