import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function KeysPage(props: PageProps) {
  return <Later {...props} />;
}
