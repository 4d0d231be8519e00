import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function BuyersPage(props: PageProps) {
  return <Later {...props} />;
}
