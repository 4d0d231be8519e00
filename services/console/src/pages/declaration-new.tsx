import { Later, type PageProps } from '../page.js';

/** Not in the console yet. */
export function NewDeclarationPage(props: PageProps) {
  return <Later {...props} />;
}
