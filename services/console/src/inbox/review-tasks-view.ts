import type { paths } from '../generated/api.js';
import { type MessageKey, t } from '../messages.js';

export type ReviewTaskEntry =
  paths['/v1/review-tasks']['get']['responses'][200]['content']['application/json']['tasks'][number];

/** Why the review is owed, in words. */
export function reasonText(entry: ReviewTaskEntry): string {
  return t(`reviews.reason.${entry.task.reason}` as MessageKey, {
    declarationId: entry.task.declarationId,
    incidentId: entry.task.incidentId ?? '',
  });
}

export const methodText = (entry: ReviewTaskEntry): string =>
  t(`reviews.method.${entry.task.method}` as MessageKey);

/** The open tasks, the one due soonest first (overdue ones, due earlier, come first). */
export function sortTasks(tasks: readonly ReviewTaskEntry[]): ReviewTaskEntry[] {
  return [...tasks].sort(
    (a, b) => Date.parse(a.task.dueAt) - Date.parse(b.task.dueAt) || a.partnerId.localeCompare(b.partnerId),
  );
}

/** "3 overdue" / "1 overdue", or nothing when none is. */
export function overdueText(tasks: readonly ReviewTaskEntry[]): string | undefined {
  const count = tasks.filter((task) => task.overdue).length;
  if (count === 0) return undefined;
  return count === 1 ? t('reviews.overdueCount.one') : t('reviews.overdueCount', { count });
}
