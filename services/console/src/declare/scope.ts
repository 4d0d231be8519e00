import { ScopeOfServiceSchema } from '@pdx/contracts/schemas';
import type { Schemas } from '../api.js';

/**
 * A scope of service as a person types it (ISO 28001 3.17): the functions come from the
 * schema, and each UN/LOCODE is checked as it is typed.
 *
 * UN/LOCODE is checked for its form (an ISO 3166-1 alpha-2 country and three characters
 * A–Z, 2–9, the schema's pattern) and for a country that exists. Whether the location itself
 * is listed is not checked: the UN/LOCODE list has over 100,000 entries, several times the
 * console's whole size budget, and the repository carries no copy of it (the exchange checks
 * the pattern only). A country list is small and stable, so it is carried here.
 */

export type ScopeOfService = Schemas['ScopeOfService'];
const unlocodePattern = new RegExp(ScopeOfServiceSchema.$defs.unlocode.pattern);

/** ISO 3166-1 alpha-2: the 249 officially assigned codes (UN/LOCODE's country part). */
const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ ' +
    'BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM ' +
    'DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS ' +
    'GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN ' +
    'KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ ' +
    'MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM ' +
    'PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV ' +
    'SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI ' +
    'VN VU WF WS YE YT ZA ZM ZW'
  ).split(' '),
);

export const isCountry = (code: string): boolean => COUNTRIES.has(code);

/** What is wrong with a typed UN/LOCODE, or null when it is well-formed with a known country. */
export type LocodeProblem = 'format' | 'country';

export function locodeProblem(code: string): LocodeProblem | null {
  if (!unlocodePattern.test(code)) return 'format';
  if (!isCountry(code.slice(0, 2))) return 'country';
  return null;
}

/**
 * The codes of a typed list ("DEHAM, nlrtm  CNSHA"): split on commas and spaces, upper-cased
 * (a person may type lower case; the code is upper case), empty parts dropped.
 */
export function parseLocodes(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
}
