import { SchemaRegistry } from '@pdx/contracts';
import { evidenceSchemes } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defaultReviewPolicy,
  migrateReviewSettings,
  monthsOfLegacyDays,
  type ReviewPolicySettings,
  reviewPolicyOf,
} from './review-policy.js';

const registry = new SchemaRegistry();
const POLICY = 'urn:pdx:schema:api:recognition-policy.v1';
const UPDATE = 'urn:pdx:schema:api:recognition-policy-update.v1';
/** A policy as intake stores it and publishes it on pdx.policies. */
const stored = (review: object) => ({
  buyerId: 'orange',
  version: 1,
  origin: 'set',
  schemes: ['eu-aeo-aeos'],
  issuers: {},
  alertThresholdsDays: [90, 30, 7],
  digestThreshold: 5,
  catalogueVersion: 1,
  effectiveFrom: '2026-01-04T00:00:00.000Z',
  review,
});
/** A policy set before intervals were calendar months. */
const legacy = {
  highRiskCountries: ['CN'],
  tiers: {
    low: { intervalDays: 1095, method: 'document-review' },
    high: { intervalDays: 180, method: 'site-visit' },
  },
  incidentLookbackDays: 730,
  reviewAfterIncidentWithinDays: 14,
} as const;

describe('review policy in calendar months', () => {
  it('defaults to 36, 24 and 12 months and a 24-month incident look-back', () => {
    expect(defaultReviewPolicy.tiers).toEqual({
      low: { intervalMonths: 36, method: 'document-review' },
      medium: { intervalMonths: 24, method: 'questionnaire' },
      high: { intervalMonths: 12, method: 'site-visit' },
    });
    expect(defaultReviewPolicy.incidentLookbackMonths).toBe(24);
    expect(defaultReviewPolicy.firstReviewWithinDays).toBe(30);
    expect(defaultReviewPolicy.riskReducingEvidence).toEqual([]);
  });

  it('still accepts a stored policy named in days, on the API and on the log', () => {
    expect(registry.check(POLICY, stored(legacy))).toEqual([]);
    expect(registry.check(UPDATE, { schemes: ['eu-aeo-aeos'], review: legacy })).toEqual([]);
    expect(
      registry.check('urn:pdx:schema:event:recognition-policy.changed.v1', { policy: stored(legacy) }),
    ).toEqual([]);
  });

  it('migrates it to months, and the result is a policy of the current form', () => {
    const migrated = migrateReviewSettings(legacy);
    expect(migrated).toEqual({
      highRiskCountries: ['CN'],
      tiers: {
        low: { intervalMonths: 36, method: 'document-review' },
        high: { intervalMonths: 6, method: 'site-visit' },
      },
      incidentLookbackMonths: 24,
      reviewAfterIncidentWithinDays: 14,
    });
    expect(registry.check(UPDATE, { schemes: [], review: migrated })).toEqual([]);
    expect(JSON.stringify(migrated)).not.toMatch(/intervalDays|incidentLookbackDays/);
    // The engine reads the stored form and the migrated one alike.
    expect(reviewPolicyOf(legacy)).toEqual(reviewPolicyOf(migrated));
    expect(reviewPolicyOf(legacy).tiers.medium).toEqual(defaultReviewPolicy.tiers.medium);
    // Settings already in months are left as they are.
    expect(migrateReviewSettings(migrated)).toEqual(migrated);
  });

  it('reads every legal count of days as the months it stood for', () => {
    expect([30, 45, 46, 90, 180, 365, 730, 1095, 3650].map(monthsOfLegacyDays)).toEqual([
      1, 1, 2, 3, 6, 12, 24, 36, 120,
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 3650 }),
        fc.integer({ min: 1, max: 3650 }),
        fc.constantFrom('document-review' as const, 'questionnaire' as const, 'site-visit' as const),
        (interval, lookback, method) => {
          const old: ReviewPolicySettings = {
            tiers: { medium: { intervalDays: interval, method } },
            incidentLookbackDays: lookback,
          };
          expect(registry.check(POLICY, stored(old))).toEqual([]);
          const migrated = migrateReviewSettings(old);
          // The result is valid as it would be written today: within 1 to 120 months.
          expect(registry.check(UPDATE, { schemes: [], review: migrated })).toEqual([]);
          const months = migrated.tiers!.medium!.intervalMonths!;
          expect(Math.abs(months * (365 / 12) - interval)).toBeLessThanOrEqual(365 / 24);
        },
      ),
    );
  });

  it('refuses a tier or look-back given in both units, or in neither', () => {
    const pointers = (review: object) =>
      registry.check(UPDATE, { schemes: [], review }).map((v) => v.pointer);
    expect(
      pointers({ tiers: { high: { intervalMonths: 6, intervalDays: 180, method: 'site-visit' } } }),
    ).toContain('/review/tiers/high');
    expect(pointers({ tiers: { high: { method: 'site-visit' } } })).toContain(
      '/review/tiers/high/intervalMonths',
    );
    expect(pointers({ incidentLookbackMonths: 24, incidentLookbackDays: 730 })).toContain('/review');
    expect(pointers({ tiers: { high: { intervalMonths: 0, method: 'site-visit' } } })).toContain(
      '/review/tiers/high/intervalMonths',
    );
  });

  it('lets a policy name only evidence schemes as lowering the risk tier', () => {
    const catalogues = loadCatalogues(registry);
    const items = (
      registry.validator(UPDATE).schema as {
        properties: { review: { properties: { riskReducingEvidence: { items: { enum: string[] } } } } };
      }
    ).properties.review.properties.riskReducingEvidence.items.enum;
    // The schema's list is the catalogue's evidence schemes.
    expect([...items].sort()).toEqual(evidenceSchemes(catalogues));
    expect(registry.check(UPDATE, { schemes: [], review: { riskReducingEvidence: ['tapa-fsr'] } })).toEqual(
      [],
    );
    expect(
      registry
        .check(UPDATE, { schemes: [], review: { riskReducingEvidence: ['eu-aeo-aeos'] } })
        .map((v) => v.pointer),
    ).toEqual(['/review/riskReducingEvidence/0']);
    expect(reviewPolicyOf({ riskReducingEvidence: ['iso-28000'] }).riskReducingEvidence).toEqual([
      'iso-28000',
    ]);
  });
});
