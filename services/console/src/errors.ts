import { ApiError } from './api.js';
import { ConsoleError } from './keys.js';
import { t } from './messages.js';

/** An error as words: the catalogue's, or the exchange's problem detail. */
export function errorText(error: unknown): string {
  if (error instanceof ConsoleError) return t(error.key, error.values);
  if (error instanceof ApiError)
    return t('error.server', { status: error.status, detail: error.problem?.detail ?? error.message });
  return (error as Error).message;
}
