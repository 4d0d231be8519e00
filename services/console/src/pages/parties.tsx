import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function PartiesPage(props: PageProps) {
  return <Later {...props} />;
}
