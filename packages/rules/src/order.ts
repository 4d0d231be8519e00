/** Shared by the paths: one total order of strings and one rendering of instants. */
export const DAY_MS = 86_400_000;
export const iso = (ms: number) => new Date(ms).toISOString();
export const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
