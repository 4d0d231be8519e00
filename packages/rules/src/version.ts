/**
 * The version of what `evaluate` means. Every decision the review service stores records it,
 * with the scheme catalogue's version, and at start-up the service decides again every pair
 * decided under another pair of versions (cause `rules-changed`), so corrected rules reach
 * decisions already made and not only those some later event happens to touch.
 *
 * Bump it in the same change whenever the same facts, policy, catalogue and time could give
 * another decision: a rule added, removed or corrected, a date counted differently, a status,
 * basis, obligation, risk tier or review task worked out another way. Do not bump it for a
 * change that leaves every decision as it was (a refactoring, faster code, wording of a
 * comment); a needless bump costs one re-evaluation of every pair and publishes nothing.
 *
 * 1: every release before decisions recorded the version (a stored decision without it).
 * 2: review intervals and the incident look-back in calendar months; evidence certificates
 *    (ISO 28000, TAPA) never exempt and may lower the risk tier; a 4.3 approval covers only
 *    the functions its own scope names.
 */
export const RULES_ENGINE_VERSION = 2;
