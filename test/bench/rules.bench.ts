/**
 * `npm run bench` (part 4): evaluations/s of the ISO 28001 rules engine over varied partners
 * (certificates, declarations, reviews), next to a baseline measured in the same run: the
 * RFC 8785 canonical JSON of the same facts (one pure pass over the same data).
 */
import { type Certificate, canonicalJson, SchemaRegistry } from '@pdx/contracts';
import { areaCodes, type BuyerPolicy, defaultReviewPolicy, evaluate, type PartnerFacts } from '@pdx/rules';
import { defaultRecognisedSchemes, type ServiceFunction } from '@pdx/schemes';
import { loadCatalogues } from '@pdx/schemes/load';

const N = Number(process.env.BENCH_EVALUATIONS ?? 20_000);
const DAY = 86_400_000;
const catalogues = loadCatalogues(new SchemaRegistry());
const now = Date.parse('2027-06-01T00:00:00Z');
const at = (days: number) => new Date(now + days * DAY).toISOString();
const policy: BuyerPolicy = {
  buyerId: 'globex',
  version: 1,
  schemes: defaultRecognisedSchemes(catalogues, 'DE'),
  issuers: {},
  review: defaultReviewPolicy,
};
const functions: ServiceFunction[] = [
  'warehouse',
  'road-carrier',
  'forwarder',
  'ocean-carrier',
  'manufacturer',
];
const schemes = ['eu-aeo-aeos', 'iso-28000', 'tapa-fsr', 'isps-issc', 'ca-pip'];

// Partners of every kind: exempt, covered, declared and reviewed or not, incomplete.
const partners: PartnerFacts[] = Array.from({ length: 1_000 }, (_, i) => {
  const certificates: Certificate[] = Array.from({ length: i % 3 }, (_, k) => {
    const schemeId = schemes[(i + k) % schemes.length]!;
    return {
      certificateId: `${schemeId}~${i.toString(16).padStart(16, '0')}000${k}`,
      schemeId,
      number: `N-${i}-${k}`,
      holder: `p-${i}`,
      trust: 'attested',
      issuer: 'issuer-1',
      scope: { functions: ['warehouse'] },
      validFrom: at(-300),
      ...(catalogues.byId.get(schemeId)!.validity === 'dated' ? { validUntil: at((i % 400) - 50) } : {}),
      state: i % 17 === 0 ? 'suspended' : 'active',
      confirmations: [],
      version: 1,
    };
  });
  return {
    buyerId: 'globex',
    partnerId: `p-${i}`,
    country: i % 5 === 0 ? 'CN' : 'DE',
    functions: [
      functions[i % functions.length]!,
      ...(i % 4 === 0 ? [functions[(i + 1) % functions.length]!] : []),
    ],
    locations: ['DEHAM'],
    certificates,
    declarations:
      i % 6 === 0
        ? []
        : [
            {
              declarationId: `dos-${i}`,
              recipients: ['globex'],
              issuedAt: at(-(i % 90)),
              validFrom: at(-(i % 90)),
              validUntil: at(300),
              areas: i % 7 === 0 ? ['A', 'C'] : [...areaCodes],
            },
          ],
    reviews:
      i % 3 === 0
        ? [
            {
              reviewId: `rev-${i}`,
              declarationId: `dos-${i}`,
              reviewedAt: at(-(i % 30)),
              reviewer: 'r',
              method: i % 2 === 0 ? 'site-visit' : 'document-review',
              outcome: i % 11 === 0 ? 'not-credible' : 'credible',
              findings: [],
            },
          ]
        : [],
    incidents:
      i % 13 === 0 ? [{ incidentId: `inc-${i}`, occurredAt: at(-(i % 50)), severity: 'medium' }] : [],
  };
});

function rate(fn: (p: PartnerFacts) => unknown): number {
  for (let i = 0; i < 2_000; i++) fn(partners[i % partners.length]!);
  const t = performance.now();
  for (let i = 0; i < N; i++) fn(partners[i % partners.length]!);
  return N / ((performance.now() - t) / 1000);
}

const baseline = rate((p) => canonicalJson(p));
const engine = rate((p) => evaluate(p, policy, catalogues, now));
const statuses = new Map<string, number>();
for (const p of partners) {
  const s = evaluate(p, policy, catalogues, now).status;
  statuses.set(s, (statuses.get(s) ?? 0) + 1);
}
console.log(`rules benchmark: ${N} evaluations over ${partners.length} partners\n`);
console.log(
  `${'canonical JSON of the same facts (baseline)'.padEnd(48)} ${baseline.toFixed(0).padStart(9)} /s`,
);
console.log(
  `${'evaluate (status, clauses, obligations)'.padEnd(48)} ${engine.toFixed(0).padStart(9)} /s   ratio ${(engine / baseline).toFixed(3)}x`,
);
console.log(`statuses: ${[...statuses].map(([s, n]) => `${s} ${n}`).join(', ')}\n`);
