/** Scenarios of the console's browser suite (run by test/e2e/console.int.test.ts with its fixture). */
export function scenarios(): void {}
