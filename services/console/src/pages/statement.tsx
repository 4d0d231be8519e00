import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function StatementPage(props: PageProps) {
  return <Later {...props} />;
}
