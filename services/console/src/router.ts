import { computed, signal } from '@preact/signals';

/** The page shown: the path of the location (client routes, served the same page by the exchange). */
export const route = signal(typeof location === 'undefined' ? '/' : location.pathname);
/** The query of the location (`?status=credible&page=2`): filters a page keeps in its address. */
export const search = signal(typeof location === 'undefined' ? '' : location.search);
/** The query as parameters. */
export const query = computed(() => new URLSearchParams(search.value));

/** Goes to `target` (a path, with a query if any), adding a history entry; `replace` does not. */
export function navigate(target: string, { replace = false }: { replace?: boolean } = {}): void {
  const url = new URL(target, 'http://console.invalid');
  if (url.pathname === route.value && url.search === search.value) return;
  if (replace) history.replaceState(null, '', url.pathname + url.search);
  else history.pushState(null, '', url.pathname + url.search);
  search.value = url.search;
  route.value = url.pathname;
}

/** Replaces the query of the current page (empty values are dropped), keeping the history short. */
export function setQuery(values: Record<string, string | number | undefined | null>): void {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  navigate(`${route.value}${text ? `?${text}` : ''}`, { replace: true });
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    search.value = location.search;
    route.value = location.pathname;
  });
}

/**
 * The parameters of `path` under `pattern` (`/partners/:partnerId` on `/partners/acme` →
 * `{ partnerId: 'acme' }`, each value percent-decoded), or null when it does not match.
 */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.replace(/\/+$/, '').split('/');
  if (have.length === 1 && have[0] === '') have.push('');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const h = have[i]!;
    if (w.startsWith(':')) {
      if (h === '') return null;
      try {
        params[w.slice(1)] = decodeURIComponent(h);
      } catch {
        return null;
      }
    } else if (w !== h) return null;
  }
  return params;
}

/** `/partners/:partnerId` with `{ partnerId: 'a b' }` → `/partners/a%20b`. */
export function pathTo(pattern: string, params: Record<string, string> = {}): string {
  return pattern.replace(/:(\w+)/g, (_all, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${pattern}: no value for :${name}`);
    return encodeURIComponent(value);
  });
}

/** A same-origin link click handled by the router (a new tab or window is left to the browser). */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  if (anchor.target || anchor.hasAttribute('download') || anchor.origin !== location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}
