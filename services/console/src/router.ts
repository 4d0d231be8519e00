import { signal } from '@preact/signals';

/** The page shown: the path of the location (client routes, served the same page by the exchange). */
export const route = signal(typeof location === 'undefined' ? '/' : location.pathname);

export function navigate(path: string): void {
  if (path === route.value) return;
  history.pushState(null, '', path);
  route.value = path;
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    route.value = location.pathname;
  });
}

/** A same-origin link click handled by the router (a new tab or window is left to the browser). */
export function onLinkClick(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(anchor.pathname);
}
