import type { ComponentType } from 'preact';
import { type MessageKey, t } from './messages.js';
import type { Role, Session } from './session.js';

/** What every page is given: the session (null on a public page with nobody signed in), its path parameters. */
export interface PageProps {
  session: Session | null;
  params: Record<string, string>;
  page: Page;
}

/** What a page for signed-in people is given. */
export type SignedInProps = Omit<PageProps, 'session'> & { session: Session };

/** A page for signed-in people as a page (the shell renders it only with a session). */
export function signedIn(Component: ComponentType<SignedInProps>): ComponentType<PageProps> {
  return function SignedIn(props: PageProps) {
    return props.session ? <Component {...props} session={props.session} /> : null;
  };
}

/** A page of the console: its path pattern, who may open it, its place in the navigation. */
export interface Page {
  /** `/partners/:partnerId`: parameters start with a colon. */
  pattern: string;
  /** The heading (and the navigation entry, for pages with `nav`). */
  label: MessageKey;
  /** Who sees it; `public` pages open with nobody signed in too. */
  roles: readonly Role[] | 'public';
  /** Listed in the navigation (pages with parameters are reached from another page). */
  nav: boolean;
  component: ComponentType<PageProps>;
  /** Until the console has it: the API route that does it. */
  api?: string;
}

/** A page the console does not have yet: where the API does the same. */
export function Later({ page }: PageProps) {
  return (
    <main id="content" tabIndex={-1}>
      <h1>{t(page.label)}</h1>
      <p>{t('later.body', { api: page.api ?? '' })}</p>
    </main>
  );
}
