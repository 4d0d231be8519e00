import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function VerifyPage(props: PageProps) {
  return <Later {...props} />;
}
