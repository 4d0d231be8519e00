import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { eventually } from '@pdx/bus/testing';
import { run as runCli } from '@pdx/cli';
import type { PdxEvent, PublicJwk } from '@pdx/contracts';
import {
  ATTESTATION_TYP,
  DECLARATION_TYP,
  generateSigningKey,
  type PrivateJwk,
  signCompact,
} from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { REVIEW_TOPICS, reviewService, type StatusRecord, statusRecords } from '@pdx/review';
import { ManualClock } from '@pdx/runtime';
import { type AppliedEvent, appliedEvents, type Collection, type DocumentStore } from '@pdx/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

/**
 * A year of a realistic supply chain, replayed through the HTTP API with a controlled clock:
 * 5 buyers with different recognition and review policies, 8 certificate issuers and 42
 * business partners (55 parties, 60 buyer-partner links). Certificates are attested, renewed,
 * suspended, withdrawn and left to lapse; declarations are submitted, superseded and left to
 * expire; reviews find partners credible or not; incidents are recorded; policies change;
 * links end. The expected statuses, exemptions, Statements of Application and review tasks
 * below were worked out by hand from ISO 28001 4.2–4.5 and the policies, partner by partner
 * (the story of each is in the comments of `partners`). Review intervals are calendar months;
 * certificates that are only evidence for a review (ISO 28000, TAPA) never exempt.
 */

const DAY = 86_400_000;
const T0 = Date.parse('2027-01-04T00:00:00Z');
const day = (d: number) => new Date(T0 + d * DAY).toISOString();
const T_END = 365;

const buyers = {
  hansa: { id: 'hansa-retail', country: 'DE' },
  orange: { id: 'orange-electronics', country: 'NL' },
  liberty: { id: 'liberty-pharma', country: 'US' },
  alpen: { id: 'alpen-machines', country: 'DE' },
  nordic: { id: 'nordic-foods', country: 'SE' },
} as const;
type Buyer = keyof typeof buyers;

const issuers = [
  { id: 'zoll-hh', country: 'DE', issuerOf: ['eu-aeo-aeos', 'eu-aeo-aeof'] },
  { id: 'douane-nl', country: 'NL', issuerOf: ['eu-aeo-aeos', 'eu-aeo-aeof'] },
  { id: 'douane-fr', country: 'FR', issuerOf: ['eu-aeo-aeos', 'eu-aeo-aeof'] },
  { id: 'cbp', country: 'US', issuerOf: ['us-ctpat'] },
  { id: 'class-rso', country: 'NO', issuerOf: ['isps-issc', 'isps-pfsoc'] },
  { id: 'cert-body', country: 'DE', issuerOf: ['iso-28000', 'iso-28001', 'tapa-fsr', 'tapa-tsr'] },
  { id: 'gacc', country: 'CN', issuerOf: ['cn-aeo'] },
  { id: 'lba', country: 'DE', issuerOf: ['air-regulated-agent', 'air-known-consignor'] },
] as const;

/** The partners: country, scope of service (ISO 28001 3.17) and the buyers linked to it. */
const partners: Record<
  string,
  { country: string; functions: string[]; locations?: string[]; buyers: Buyer[] }
> = {
  // AEOS (zoll-hh): exempt 4.4(c) for both.
  'rhein-logistik': {
    country: 'DE',
    functions: ['warehouse'],
    locations: ['DEHAM'],
    buyers: ['hansa', 'alpen'],
  },
  // AEOS by douane-nl: exempt, except for alpen, which recognises zoll-hh only: a reviewed declaration.
  'maas-warehousing': {
    country: 'NL',
    functions: ['warehouse'],
    locations: ['NLRTM'],
    buyers: ['hansa', 'orange', 'alpen'],
  },
  // AEOS suspended on day 120; declares on 130, reviewed (questionnaire) on 140.
  'elbe-freight': {
    country: 'DE',
    functions: ['road-carrier'],
    locations: ['DEHAM', 'PLWAW'],
    buyers: ['hansa'],
  },
  // Declaration to both; hansa reviews by site visit, nordic never does.
  'vistula-trans': { country: 'PL', functions: ['road-carrier'], buyers: ['hansa', 'nordic'] },
  // ISSC until day 200, renewed on day 190: exempt 4.4(b) throughout.
  'tejo-shipping': { country: 'PT', functions: ['ocean-carrier'], buyers: ['hansa', 'orange', 'liberty'] },
  // ISSC until day 150, not renewed: lapses by the clock.
  'baltic-line': { country: 'LV', functions: ['ocean-carrier'], buyers: ['hansa', 'nordic'] },
  // C-TPAT until day 250, renewed on day 240.
  'atlantic-carriers': { country: 'US', functions: ['ocean-carrier'], buyers: ['liberty'] },
  // C-TPAT until day 250, not renewed; declares on 230 (first review due in 14 days), site visit on 260.
  'gulf-terminal': { country: 'US', functions: ['port-terminal'], buyers: ['liberty'] },
  // China AEO: recognised by orange (EU-CN MRA), not by liberty, which reviews its declaration.
  'shenzhen-electronics': {
    country: 'CN',
    functions: ['manufacturer'],
    locations: ['CNSZX'],
    buyers: ['orange', 'liberty'],
  },
  // High-risk country for orange: the document review of day 40 is not enough, a questionnaire on 60 is.
  'ningbo-textiles': { country: 'CN', functions: ['manufacturer'], buyers: ['orange'] },
  // Found not credible on day 45.
  'haiphong-garments': { country: 'VN', functions: ['manufacturer'], buyers: ['orange'] },
  // High risk for orange (carrier in CN): site visits every 180 days; visited on 30 only.
  'guangzhou-ocean': { country: 'CN', functions: ['ocean-carrier'], buyers: ['orange'] },
  // The same, visited again on day 200.
  'saigon-port': { country: 'VN', functions: ['port-terminal'], buyers: ['orange'] },
  // Questionnaire on 30; alpen makes TR high risk on day 180; site visit on 200.
  'anatolia-road': { country: 'TR', functions: ['road-carrier'], buyers: ['alpen'] },
  // Document review on 30; TR high risk from day 180 asks a questionnaire that never comes.
  'bosporus-warehouse': { country: 'TR', functions: ['warehouse'], buyers: ['alpen'] },
  // Declares no area B: complete for hansa, incomplete for alpen, which asks B of everyone.
  'alpine-storage': { country: 'AT', functions: ['warehouse'], buyers: ['hansa', 'alpen'] },
  // AEOF by douane-fr: exempt for hansa; alpen recognises zoll-hh only and gets no declaration.
  'lyon-forwarding': { country: 'FR', functions: ['forwarder'], buyers: ['hansa', 'alpen'] },
  // Reviewed declaration valid until day 180, no successor.
  'milano-cargo': { country: 'IT', functions: ['forwarder'], buyers: ['hansa'] },
  // Successor declaration on day 150, reviewed only on 200.
  'porto-logistics': { country: 'PT', functions: ['warehouse'], buyers: ['hansa'] },
  // Incident (medium) on day 300 makes the document review of day 20 insufficient.
  'sevilla-fresh': { country: 'ES', functions: ['warehouse'], buyers: ['nordic'] },
  // Incident (low) on 300: a review within 14 days (nordic's policy from day 200); site visit on 330.
  'hamburg-cold': { country: 'DE', functions: ['warehouse'], buyers: ['nordic'] },
  // Incident recorded by nordic only (day 320): overdue for nordic on 334, credible for hansa.
  'koln-pharma-logistics': { country: 'DE', functions: ['warehouse'], buyers: ['hansa', 'nordic'] },
  // Claims a Norwegian AEO; nordic confirms it on day 40.
  'oslo-seafood': { country: 'NO', functions: ['manufacturer'], buyers: ['nordic'] },
  // Claims an Estonian AEOS; hansa confirms it, nordic does not.
  'tallinn-transit': { country: 'EE', functions: ['forwarder'], buyers: ['hansa', 'nordic'] },
  // ISO 28001 verification (4.4(a)), withdrawn on day 100.
  'iso-verified': { country: 'GB', functions: ['manufacturer'], buyers: ['hansa', 'liberty'] },
  // TAPA FSR is evidence for the warehouse review, no 4.3 approval: the whole scope rests on
  // the declaration, reviewed by questionnaire (medium risk: a road carrier) on day 30.
  'tapa-hub': { country: 'NL', functions: ['warehouse', 'road-carrier'], buyers: ['hansa'] },
  // ISO 28000 is a management-system certificate, evidence for a review and never an
  // exemption: with no declaration it is declaration-required for both buyers.
  'iso28k-shipping': {
    country: 'DE',
    functions: ['ocean-carrier', 'warehouse'],
    buyers: ['hansa', 'liberty'],
  },
  // Declares on day 340: review due on 370 for hansa, on 354 for liberty.
  'late-declarer': { country: 'DE', functions: ['manufacturer'], buyers: ['hansa', 'liberty'] },
  'never-declares': { country: 'FR', functions: ['shipper'], buyers: ['hansa'] },
  // AEOS; hansa ends the link on day 250.
  'ended-link-co': { country: 'DE', functions: ['warehouse'], buyers: ['hansa'] },
  // Declaration addressed to hansa only.
  'wrong-recipient': { country: 'BE', functions: ['forwarder'], buyers: ['hansa', 'alpen'] },
  // Not credible on 20; a successor on 60; a questionnaire is no longer enough (high risk); site visit on 100.
  'double-fail': { country: 'DE', functions: ['road-carrier'], buyers: ['hansa'] },
  // A review with findings raises the tier: document review on 20 not enough, questionnaire on 60.
  'findings-co': { country: 'DE', functions: ['manufacturer'], buyers: ['hansa'] },
  // Regulated agent until day 335: 4.3 for the forwarding, not for the air carrier (which has
  // its own security programme), so never exempt; it never declares.
  'air-express': { country: 'DE', functions: ['air-carrier', 'forwarder'], buyers: ['hansa'] },
  // Declaration without conveyance security (D); a complete successor on 60, reviewed on 70.
  'rail-connect': { country: 'PL', functions: ['rail-carrier'], buyers: ['nordic'] },
  'customs-pro': { country: 'NL', functions: ['customs-broker'], buyers: ['orange'] },
  // Port facility statement of compliance, suspended on day 100, reinstated on 130.
  'fjord-terminal': { country: 'NO', functions: ['port-terminal'], buyers: ['nordic'] },
  // A document review where liberty's policy asks a questionnaire (carriers are high risk).
  'quick-parcel': { country: 'GB', functions: ['road-carrier'], buyers: ['liberty'] },
  // Warehouses are high risk for liberty: its questionnaire suffices.
  'warsaw-dc': { country: 'PL', functions: ['warehouse'], buyers: ['liberty'] },
  'rotterdam-reefer': { country: 'NL', functions: ['ocean-carrier'], buyers: ['orange', 'nordic'] },
  // Reviewed by both; ends its link with nordic on day 100.
  'lisbon-forwarders': { country: 'PT', functions: ['forwarder'], buyers: ['hansa', 'nordic'] },
  // Declares on 200, reviewed on 210; a serious incident on 355 makes it high risk.
  'madrid-maker': { country: 'ES', functions: ['manufacturer'], buyers: ['nordic'] },
};

/** Hand-worked statuses at day 365, per buyer: every linked partner, nothing else. */
const expectedStatuses: Record<Buyer, Record<string, string>> = {
  hansa: {
    'rhein-logistik': 'exempt',
    'maas-warehousing': 'exempt',
    'elbe-freight': 'credible',
    'vistula-trans': 'credible',
    'tejo-shipping': 'exempt',
    'baltic-line': 'declaration-required',
    'alpine-storage': 'credible',
    'lyon-forwarding': 'exempt',
    'milano-cargo': 'declaration-required',
    'porto-logistics': 'credible',
    'koln-pharma-logistics': 'credible',
    'tallinn-transit': 'exempt',
    'iso-verified': 'declaration-required',
    'tapa-hub': 'credible',
    'iso28k-shipping': 'declaration-required',
    'late-declarer': 'pending-review',
    'never-declares': 'declaration-required',
    'wrong-recipient': 'credible',
    'double-fail': 'credible',
    'findings-co': 'credible',
    'air-express': 'declaration-required',
    'lisbon-forwarders': 'credible',
  },
  orange: {
    'maas-warehousing': 'exempt',
    'tejo-shipping': 'exempt',
    'shenzhen-electronics': 'exempt',
    'ningbo-textiles': 'credible',
    'haiphong-garments': 'not-credible',
    'guangzhou-ocean': 'review-overdue',
    'saigon-port': 'credible',
    'customs-pro': 'credible',
    'rotterdam-reefer': 'exempt',
  },
  liberty: {
    'tejo-shipping': 'exempt',
    'atlantic-carriers': 'exempt',
    'gulf-terminal': 'credible',
    'shenzhen-electronics': 'credible',
    'iso-verified': 'declaration-required',
    'iso28k-shipping': 'declaration-required',
    'late-declarer': 'review-overdue',
    'quick-parcel': 'review-overdue',
    'warsaw-dc': 'credible',
  },
  alpen: {
    'rhein-logistik': 'exempt',
    'maas-warehousing': 'credible',
    'anatolia-road': 'credible',
    'bosporus-warehouse': 'review-overdue',
    'alpine-storage': 'incomplete',
    'lyon-forwarding': 'declaration-required',
    'wrong-recipient': 'declaration-required',
  },
  nordic: {
    'vistula-trans': 'review-overdue',
    'baltic-line': 'declaration-required',
    'sevilla-fresh': 'review-overdue',
    'hamburg-cold': 'credible',
    'koln-pharma-logistics': 'review-overdue',
    'oslo-seafood': 'exempt',
    'tallinn-transit': 'declaration-required',
    'rail-connect': 'credible',
    'fjord-terminal': 'exempt',
    'rotterdam-reefer': 'exempt',
    'madrid-maker': 'review-overdue',
  },
};

/** Hand-worked exemptions (ISO 28001 4.4) granted and revoked over the year, with their cause. */
const expectedExemptions = [
  'granted hansa-retail rhein-logistik 4.4(c) event',
  'granted alpen-machines rhein-logistik 4.4(c) event',
  'granted hansa-retail maas-warehousing 4.4(c) event',
  'granted orange-electronics maas-warehousing 4.4(c) event',
  'granted hansa-retail elbe-freight 4.4(c) event',
  'revoked hansa-retail elbe-freight 4.4(c) event',
  'granted hansa-retail tejo-shipping 4.4(b) event',
  'granted orange-electronics tejo-shipping 4.4(b) event',
  'granted liberty-pharma tejo-shipping 4.4(b) event',
  'granted hansa-retail baltic-line 4.4(b) event',
  'granted nordic-foods baltic-line 4.4(b) event',
  'revoked hansa-retail baltic-line 4.4(b) time',
  'revoked nordic-foods baltic-line 4.4(b) time',
  'granted liberty-pharma atlantic-carriers 4.4(c) event',
  'granted liberty-pharma gulf-terminal 4.4(c) event',
  'revoked liberty-pharma gulf-terminal 4.4(c) time',
  'granted orange-electronics shenzhen-electronics 4.4(c) event',
  'granted hansa-retail lyon-forwarding 4.4(c) event',
  'granted nordic-foods oslo-seafood 4.4(c) event',
  'granted hansa-retail tallinn-transit 4.4(c) event',
  'granted hansa-retail iso-verified 4.4(a) event',
  'granted liberty-pharma iso-verified 4.4(a) event',
  'revoked hansa-retail iso-verified 4.4(a) event',
  'revoked liberty-pharma iso-verified 4.4(a) event',
  'granted hansa-retail ended-link-co 4.4(c) event',
  'revoked hansa-retail ended-link-co 4.4(c) event',
  'granted nordic-foods fjord-terminal 4.4(b) event',
  'revoked nordic-foods fjord-terminal 4.4(b) event',
  'granted nordic-foods fjord-terminal 4.4(b) event',
  'granted orange-electronics rotterdam-reefer 4.4(b) event',
  'granted nordic-foods rotterdam-reefer 4.4(b) event',
].sort();

/** Hand-worked exempt partners in each buyer's Statement of Application, with the clause and scheme. */
const expectedExempt: Record<Buyer, string[]> = {
  hansa: [
    'lyon-forwarding 4.4(c) eu-aeo-aeof',
    'maas-warehousing 4.4(c) eu-aeo-aeos',
    'rhein-logistik 4.4(c) eu-aeo-aeos',
    'tallinn-transit 4.4(c) eu-aeo-aeos',
    'tejo-shipping 4.4(b) isps-issc',
  ],
  orange: [
    'maas-warehousing 4.4(c) eu-aeo-aeos',
    'rotterdam-reefer 4.4(b) isps-issc',
    'shenzhen-electronics 4.4(c) cn-aeo',
    'tejo-shipping 4.4(b) isps-issc',
  ],
  liberty: ['atlantic-carriers 4.4(c) us-ctpat', 'tejo-shipping 4.4(b) isps-issc'],
  alpen: ['rhein-logistik 4.4(c) eu-aeo-aeos'],
  nordic: [
    'fjord-terminal 4.4(b) isps-pfsoc',
    'oslo-seafood 4.4(c) no-aeo',
    'rotterdam-reefer 4.4(b) isps-issc',
  ],
};

/** Hand-worked reviews nordic owes at day 365 (ISO 28001 4.5): why, and whether overdue. */
const expectedNordicTasks = {
  'vistula-trans': 'first-review questionnaire medium overdue',
  'sevilla-fresh': 'first-review questionnaire medium overdue',
  'hamburg-cold': 'periodic questionnaire medium',
  'koln-pharma-logistics': 'after-incident questionnaire medium overdue',
  'rail-connect': 'periodic questionnaire medium',
  'madrid-maker': 'first-review site-visit high overdue',
};

/**
 * Hand-worked reviews orange owes at day 365, with their due dates in calendar months from the
 * review (reviewed at 23:59:59.5 the day before each review day): orange's high tier is still
 * stored as 180 days, read as 6 months.
 */
const expectedOrangeTasks = {
  // Questionnaire on day 60 (4 March 2027), medium risk (CN): 24 months.
  'ningbo-textiles': 'periodic questionnaire medium due 2029-03-04',
  // Site visit on day 30 (2 February 2027), high risk: 6 months, 2 August 2027 (180 days: 1 August).
  'guangzhou-ocean': 'periodic site-visit high due 2027-08-02 overdue',
  // Site visit on day 200 (22 July 2027): 22 January 2028 (180 days: 18 January).
  'saigon-port': 'periodic site-visit high due 2028-01-22',
  // Document review on day 20 (23 January 2027), low risk: 36 months, 23 January 2030 (1095 days: 22 January).
  'customs-pro': 'periodic document-review low due 2030-01-23',
};

const declarationSchema = JSON.parse(
  readFileSync(new URL('../../schemas/api/declaration-of-security.v1.json', import.meta.url), 'utf8'),
) as {
  properties: {
    measures: { properties: Record<string, { properties: { isoReferences: { const: unknown } } }> };
  };
};
const isoReferences = (area: string) =>
  declarationSchema.properties.measures.properties[area]!.properties.isoReferences.const;
const ALL = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I'];

export function supplyChainReplaySuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`a year of a supply chain, replayed: ${name}`, () => {
    const clock = new ManualClock(day(-1));
    let target: SliceTarget;
    let intake: Host;
    let review: Host & { url: string };
    let reviewStore: DocumentStore;
    let applied: Collection<AppliedEvent>;
    let statuses: Collection<StatusRecord>;
    const keys = new Map<string, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const seen = new Map<string, PdxEvent>();
    /** Every message of the topics the review service reads, and their distinct event ids. */
    const observed = { messages: 0, ids: new Set<string>() };
    const reviewTopics = REVIEW_TOPICS;

    const api = apiClient(clock, (who) => keys.get(who)!.privateJwk);
    // Queries go to the review service, changes (and recognition policies) to intake.
    const hostFor = (method: string, url: string) =>
      method === 'GET' && !url.startsWith('/v1/recognition') ? review : intake;
    const call = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, body?: unknown) =>
      api.call(hostFor(method, url), method, url, who, body);
    const ok = (method: 'GET' | 'POST' | 'PUT', url: string, who: string, body?: unknown) =>
      api.ok(hostFor(method, url), method, url, who, body);
    const B = (b: Buyer) => buyers[b].id;

    // ---- what the parties do ------------------------------------------------------------
    const certificateIds = new Map<string, string>();
    const attest = async (
      issuer: string,
      holder: string,
      schemeId: string,
      number: string,
      validFrom: number,
      validUntil?: number,
    ) => {
      const payload = {
        schemeId,
        number,
        holder,
        issuer,
        scope: { functions: partners[holder]!.functions },
        validFrom: day(validFrom),
        ...(validUntil === undefined ? {} : { validUntil: day(validUntil) }),
        issuedAt: new Date(clock.now() - 1000).toISOString(),
      };
      const body = await signCompact(JSON.stringify(payload), keys.get(issuer)!.privateJwk, ATTESTATION_TYP);
      const view = await ok('POST', '/v1/certificates/attestations', issuer, body);
      certificateIds.set(number, view.certificate.certificateId);
    };
    const issuerAction = (
      issuer: string,
      number: string,
      action: 'suspension' | 'reinstatement' | 'withdrawal',
    ) =>
      ok('POST', `/v1/certificates/${certificateIds.get(number)}/${action}`, issuer, {
        reason: `${action} on review`,
      });
    const claim = async (holder: string, schemeId: string, number: string) => {
      const view = await ok('POST', '/v1/certificates/claims', holder, {
        schemeId,
        number,
        issuerName: 'National customs administration',
        scope: { functions: partners[holder]!.functions },
        validFrom: day(-300),
        evidence: `doc://${holder}/aeo-authorisation.pdf`,
      });
      certificateIds.set(number, view.certificate.certificateId);
    };
    const confirm = (buyer: Buyer, number: string) =>
      ok('POST', `/v1/certificates/${certificateIds.get(number)}/confirmations`, B(buyer), {
        reviewer: 'Supplier security office',
        evidenceRef: `${number} checked against the customs register`,
      });
    const declare = async (
      partnerId: string,
      declarationId: string,
      to: Buyer[],
      options: { areas?: string[]; untilDay?: number; supersedes?: string } = {},
    ) => {
      const issuedAt = clock.now() - 1000;
      const dos = {
        declarationId,
        issuer: partnerId,
        recipients: to.map(B),
        scopeOfService: {
          functions: partners[partnerId]!.functions,
          ...(partners[partnerId]!.locations ? { locations: partners[partnerId]!.locations } : {}),
        },
        measures: Object.fromEntries(
          (options.areas ?? ALL).map((area) => [
            area,
            {
              statement: `Measures of ${partnerId} for area ${area}.`,
              controls: ['documented procedure', 'annual internal audit'],
              isoReferences: isoReferences(area),
            },
          ]),
        ),
        validity: {
          from: new Date(issuedAt).toISOString(),
          until:
            options.untilDay === undefined
              ? new Date(issuedAt + 365 * DAY).toISOString()
              : day(options.untilDay),
        },
        signatory: { name: 'Security Manager', title: 'Head of Security', authority: 'Power of attorney' },
        issuedAt: new Date(issuedAt).toISOString(),
        ...(options.supersedes ? { supersedes: options.supersedes } : {}),
      };
      const res = await call(
        'POST',
        '/v1/declarations',
        partnerId,
        await signCompact(JSON.stringify(dos), keys.get(partnerId)!.privateJwk, DECLARATION_TYP),
      );
      expect(res.statusCode, res.body).toBe(202);
    };
    let reviews = 0;
    const reviewed = (
      buyer: Buyer,
      partnerId: string,
      declarationId: string,
      method: 'document-review' | 'questionnaire' | 'site-visit',
      outcome: 'credible' | 'not-credible' = 'credible',
      findings: string[] = [],
    ) =>
      ok('POST', '/v1/reviews', B(buyer), {
        reviewId: `R-${++reviews}`,
        partnerId,
        declarationId,
        reviewedAt: new Date(clock.now() - 500).toISOString(),
        reviewer: 'Supplier security office',
        method,
        outcome,
        findings,
        evidence: [{ name: `${partnerId}-${method}.pdf`, sha256: 'ab'.repeat(32) }],
      });
    let incidents = 0;
    const incident = (buyer: Buyer, partnerId: string, severity: 'low' | 'medium' | 'high') =>
      ok('POST', '/v1/incidents', B(buyer), {
        incidentId: `INC-${++incidents}`,
        partnerId,
        occurredAt: new Date(clock.now() - 3_600_000).toISOString(),
        severity,
        category: 'tampering',
        summary: `Seal found broken on a consignment handled by ${partnerId}.`,
        reportedTo: ['customs'],
      });
    const endLink = (by: string, buyer: Buyer, partnerId: string) =>
      ok('POST', `/v1/relationships/${B(buyer)}~${partnerId}/termination`, by, {});
    const alpenPolicy = (review: object) => ({
      schemes: defaultEuSchemes,
      issuers: { 'eu-aeo-aeos': ['zoll-hh'], 'eu-aeo-aeof': ['zoll-hh'] },
      review: { requiredAreas: { all: ['A', 'B', 'F', 'H'] }, ...review },
    });
    let defaultEuSchemes: string[] = [];

    /** The year, day by day: what each party does (the clock is set to the day first). */
    const year: [number, () => Promise<unknown>][] = [
      [
        -1,
        async () => {
          for (const [, b] of Object.entries(buyers))
            await ok('POST', '/v1/parties', 'ops', party(b.id, b.country, ['buyer']));
          for (const i of issuers)
            await ok('POST', '/v1/parties', 'ops', {
              ...party(i.id, i.country, ['issuer']),
              issuerOf: i.issuerOf,
            });
          for (const [id, p] of Object.entries(partners))
            await ok('POST', '/v1/parties', 'ops', party(id, p.country, ['partner']));
          defaultEuSchemes = (await ok('GET', '/v1/recognition-policies/hansa-retail', 'hansa-retail'))
            .schemes;
          await ok('PUT', '/v1/recognition-policies/orange-electronics', 'orange-electronics', {
            schemes: (await ok('GET', '/v1/recognition-policies/orange-electronics', 'orange-electronics'))
              .schemes,
            review: {
              highRiskCountries: ['CN', 'VN'],
              tiers: { high: { intervalDays: 180, method: 'site-visit' } },
            },
          });
          await ok('PUT', '/v1/recognition-policies/liberty-pharma', 'liberty-pharma', {
            schemes: ['us-ctpat', 'iso-28001', 'isps-issc'],
            review: {
              firstReviewWithinDays: 14,
              highRiskFunctions: [
                'ocean-carrier',
                'air-carrier',
                'road-carrier',
                'rail-carrier',
                'port-terminal',
                'warehouse',
              ],
            },
          });
          await ok('PUT', '/v1/recognition-policies/alpen-machines', 'alpen-machines', alpenPolicy({}));
          for (const [id, p] of Object.entries(partners)) {
            for (const b of p.buyers) {
              await ok('POST', '/v1/relationships', B(b), {
                partnerId: id,
                scopeOfService: {
                  functions: p.functions,
                  ...(p.locations ? { locations: p.locations } : {}),
                },
              });
              await ok('POST', `/v1/relationships/${B(b)}~${id}/acceptance`, id, {});
            }
          }
        },
      ],
      [
        0,
        async () => {
          await attest('zoll-hh', 'rhein-logistik', 'eu-aeo-aeos', 'DE AEOS 10001/21', -400);
          await attest('douane-nl', 'maas-warehousing', 'eu-aeo-aeos', 'NL AEOS 20002/22', -300);
          await attest('zoll-hh', 'elbe-freight', 'eu-aeo-aeos', 'DE AEOS 10003/22', -200);
          await attest('class-rso', 'tejo-shipping', 'isps-issc', 'ISSC-9300001', -30, 200);
          await attest('class-rso', 'baltic-line', 'isps-issc', 'ISSC-9300002', -500, 150);
          await attest('cbp', 'atlantic-carriers', 'us-ctpat', 'CTPAT-70007', -100, 250);
          await attest('cbp', 'gulf-terminal', 'us-ctpat', 'CTPAT-70008', -100, 250);
          await attest('gacc', 'shenzhen-electronics', 'cn-aeo', 'CN-AEO-5109', -200, 800);
          await attest('douane-fr', 'lyon-forwarding', 'eu-aeo-aeof', 'FR AEOF 00017/19', -700);
          await attest('cert-body', 'iso-verified', 'iso-28001', 'ISO28001-0025', -100, 900);
          await attest('cert-body', 'tapa-hub', 'tapa-fsr', 'FSR-0026', -10, 700);
          await attest('cert-body', 'iso28k-shipping', 'iso-28000', 'ISO28000-0027', -50, 1000);
          await attest('zoll-hh', 'ended-link-co', 'eu-aeo-aeos', 'DE AEOS 10030/23', -100);
          await attest('lba', 'air-express', 'air-regulated-agent', 'RA-DE-0034', -30, 335);
          await attest('class-rso', 'fjord-terminal', 'isps-pfsoc', 'PFSOC-NO-0037', -10, 1000);
          await attest('class-rso', 'rotterdam-reefer', 'isps-issc', 'ISSC-9300040', -100, 1400);
        },
      ],
      [
        10,
        async () => {
          await declare('maas-warehousing', 'dos-1', ['hansa', 'orange', 'alpen']);
          await declare('vistula-trans', 'dos-1', ['hansa', 'nordic']);
          await declare('shenzhen-electronics', 'dos-1', ['liberty']);
          await declare('guangzhou-ocean', 'dos-1', ['orange']);
          await declare('saigon-port', 'dos-1', ['orange']);
          await declare('anatolia-road', 'dos-1', ['alpen'], { areas: ['A', 'B', 'C', 'D', 'F', 'H'] });
          await declare('bosporus-warehouse', 'dos-1', ['alpen']);
          await declare('alpine-storage', 'dos-1', ['hansa', 'alpen'], {
            areas: ['A', 'C', 'E', 'F', 'G', 'H'],
          });
          await declare('milano-cargo', 'dos-1', ['hansa'], { untilDay: 180 });
          await declare('porto-logistics', 'dos-1', ['hansa']);
          await declare('sevilla-fresh', 'dos-1', ['nordic']);
          await declare('hamburg-cold', 'dos-1', ['nordic']);
          await declare('koln-pharma-logistics', 'dos-1', ['hansa', 'nordic']);
          await declare('tapa-hub', 'dos-1', ['hansa']);
          await declare('wrong-recipient', 'dos-1', ['hansa']);
          await declare('double-fail', 'dos-1', ['hansa']);
          await declare('findings-co', 'dos-1', ['hansa']);
          await declare('rail-connect', 'dos-1', ['nordic'], { areas: ['A', 'C', 'F', 'H'] });
          await declare('customs-pro', 'dos-1', ['orange']);
          await declare('quick-parcel', 'dos-1', ['liberty']);
          await declare('warsaw-dc', 'dos-1', ['liberty']);
          await declare('lisbon-forwarders', 'dos-1', ['hansa', 'nordic']);
        },
      ],
      [15, () => reviewed('liberty', 'warsaw-dc', 'dos-1', 'questionnaire')],
      [
        20,
        async () => {
          await reviewed('alpen', 'maas-warehousing', 'dos-1', 'document-review');
          await reviewed('liberty', 'shenzhen-electronics', 'dos-1', 'document-review');
          await reviewed('hansa', 'alpine-storage', 'dos-1', 'document-review');
          await reviewed('hansa', 'milano-cargo', 'dos-1', 'document-review');
          await reviewed('hansa', 'porto-logistics', 'dos-1', 'document-review');
          await reviewed('nordic', 'sevilla-fresh', 'dos-1', 'document-review');
          await reviewed('nordic', 'hamburg-cold', 'dos-1', 'questionnaire');
          await reviewed('hansa', 'koln-pharma-logistics', 'dos-1', 'questionnaire');
          await reviewed('nordic', 'koln-pharma-logistics', 'dos-1', 'questionnaire');
          await reviewed('hansa', 'wrong-recipient', 'dos-1', 'document-review');
          await reviewed('hansa', 'double-fail', 'dos-1', 'questionnaire', 'not-credible', [
            'no seal log kept',
          ]);
          await reviewed('hansa', 'findings-co', 'dos-1', 'document-review', 'credible', [
            'CCTV coverage of the loading bay incomplete',
          ]);
          await reviewed('orange', 'customs-pro', 'dos-1', 'document-review');
          await reviewed('liberty', 'quick-parcel', 'dos-1', 'document-review');
          await reviewed('hansa', 'lisbon-forwarders', 'dos-1', 'document-review');
          await reviewed('nordic', 'lisbon-forwarders', 'dos-1', 'document-review');
          await declare('ningbo-textiles', 'dos-1', ['orange']);
        },
      ],
      [
        30,
        async () => {
          await reviewed('hansa', 'vistula-trans', 'dos-1', 'site-visit');
          await reviewed('orange', 'guangzhou-ocean', 'dos-1', 'site-visit');
          await reviewed('orange', 'saigon-port', 'dos-1', 'site-visit');
          await reviewed('alpen', 'anatolia-road', 'dos-1', 'questionnaire');
          await reviewed('alpen', 'bosporus-warehouse', 'dos-1', 'document-review');
          await reviewed('hansa', 'tapa-hub', 'dos-1', 'questionnaire');
          await declare('haiphong-garments', 'dos-1', ['orange']);
          await claim('oslo-seafood', 'no-aeo', 'NO-AEO-0023');
          await claim('tallinn-transit', 'eu-aeo-aeos', 'EE AEOS 0042/20');
        },
      ],
      [
        40,
        async () => {
          await reviewed('orange', 'ningbo-textiles', 'dos-1', 'document-review');
          await confirm('nordic', 'NO-AEO-0023');
          await confirm('hansa', 'EE AEOS 0042/20');
        },
      ],
      [
        45,
        () =>
          reviewed('orange', 'haiphong-garments', 'dos-1', 'site-visit', 'not-credible', [
            'gate unguarded at night',
          ]),
      ],
      [
        60,
        async () => {
          await reviewed('orange', 'ningbo-textiles', 'dos-1', 'questionnaire');
          await declare('double-fail', 'dos-2', ['hansa'], { supersedes: 'dos-1' });
          await reviewed('hansa', 'findings-co', 'dos-1', 'questionnaire');
          await declare('rail-connect', 'dos-2', ['nordic'], { supersedes: 'dos-1' });
        },
      ],
      [
        70,
        async () => {
          await reviewed('hansa', 'double-fail', 'dos-2', 'questionnaire');
          await reviewed('nordic', 'rail-connect', 'dos-2', 'questionnaire');
        },
      ],
      [
        100,
        async () => {
          await issuerAction('cert-body', 'ISO28001-0025', 'withdrawal');
          await reviewed('hansa', 'double-fail', 'dos-2', 'site-visit');
          await issuerAction('class-rso', 'PFSOC-NO-0037', 'suspension');
          await endLink('lisbon-forwarders', 'nordic', 'lisbon-forwarders');
        },
      ],
      [120, () => issuerAction('zoll-hh', 'DE AEOS 10003/22', 'suspension')],
      [
        130,
        async () => {
          await issuerAction('class-rso', 'PFSOC-NO-0037', 'reinstatement');
          await declare('elbe-freight', 'dos-1', ['hansa']);
        },
      ],
      [140, () => reviewed('hansa', 'elbe-freight', 'dos-1', 'questionnaire')],
      [150, () => declare('porto-logistics', 'dos-2', ['hansa'], { supersedes: 'dos-1' })],
      [
        180,
        () =>
          ok(
            'PUT',
            '/v1/recognition-policies/alpen-machines',
            'alpen-machines',
            alpenPolicy({ highRiskCountries: ['TR'] }),
          ),
      ],
      [190, () => attest('class-rso', 'tejo-shipping', 'isps-issc', 'ISSC-9300001', 189, 189 + 1400)],
      [
        200,
        async () => {
          await reviewed('hansa', 'porto-logistics', 'dos-2', 'document-review');
          await reviewed('alpen', 'anatolia-road', 'dos-1', 'site-visit');
          await reviewed('orange', 'saigon-port', 'dos-1', 'site-visit');
          await ok('PUT', '/v1/recognition-policies/nordic-foods', 'nordic-foods', {
            schemes: (await ok('GET', '/v1/recognition-policies/nordic-foods', 'nordic-foods')).schemes,
            review: { reviewAfterIncidentWithinDays: 14 },
          });
          await declare('madrid-maker', 'dos-1', ['nordic']);
        },
      ],
      [210, () => reviewed('nordic', 'madrid-maker', 'dos-1', 'document-review')],
      [230, () => declare('gulf-terminal', 'dos-1', ['liberty'])],
      [240, () => attest('cbp', 'atlantic-carriers', 'us-ctpat', 'CTPAT-70007', 239, 239 + 365)],
      [250, () => endLink('hansa-retail', 'hansa', 'ended-link-co')],
      [260, () => reviewed('liberty', 'gulf-terminal', 'dos-1', 'site-visit')],
      [
        300,
        async () => {
          await incident('nordic', 'sevilla-fresh', 'medium');
          await incident('nordic', 'hamburg-cold', 'low');
        },
      ],
      [320, () => incident('nordic', 'koln-pharma-logistics', 'medium')],
      [330, () => reviewed('nordic', 'hamburg-cold', 'dos-1', 'site-visit')],
      [340, () => declare('late-declarer', 'dos-1', ['hansa', 'liberty'])],
      [355, () => incident('nordic', 'madrid-maker', 'high')],
      [T_END, async () => {}],
    ];

    const party = (partyId: string, country: string, roles: string[]) => ({
      partyId,
      legalName: partyId
        .split('-')
        .map((w) => w[0]!.toUpperCase() + w.slice(1))
        .join(' '),
      country,
      roles,
      jwks: { keys: [keys.get(partyId)!.publicJwk] },
    });

    /**
     * Waits until the review service has applied every distinct event in the log it consumes
     * (delivery is at least once: an event may be in the log twice, and is applied once), and
     * no decision is due by the clock: only then is the day over.
     */
    const settle = async () => {
      let last = -1;
      await eventually(async () => {
        let published = 0;
        for (const topic of reviewTopics) published += await target.countPublished(intake.bus, topic);
        const done = await applied.count({});
        const [next] = await statuses.find(
          { scheduled: true },
          { sort: { field: 'nextChangeMs', order: 1 }, limit: 1 },
        );
        const caughtUp = observed.messages >= published;
        const idle = caughtUp && observed.ids.size === done && !(next && next.nextChangeMs <= clock.now());
        const stable = idle && done === last;
        last = idle ? done : -1;
        if (!stable) {
          await new Promise((r) => setTimeout(r, 150));
          throw new Error(`day ${(clock.now() - T0) / DAY}: ${done} of ${published} events applied`);
        }
      }, 120_000);
    };

    beforeAll(async () => {
      target = await makeTarget();
      for (const id of [
        'ops',
        ...Object.values(buyers).map((b) => b.id),
        ...issuers.map((i) => i.id),
        ...Object.keys(partners),
      ])
        keys.set(id, await generateSigningKey('EdDSA', `${id}-1`));
      const { env } = await hostEnv(target, keys.get('ops')!.publicJwk);
      intake = await startHost('pdx-intake', [intakeService], env, clock);
      review = await startHost('pdx-review', [reviewService], env, clock);
      reviewStore = await target.openStore('review');
      applied = await reviewStore.collection<AppliedEvent>(appliedEvents);
      statuses = await reviewStore.collection<StatusRecord>(statusRecords);
      await intake.bus.subscribe({
        group: 'replay-observer',
        topics: reviewTopics,
        handler: async (event) => {
          observed.messages += 1;
          observed.ids.add(event.id);
          if (event.type.startsWith('org.pdx.exemption.')) seen.set(event.id, event);
        },
      });
      for (const [d, act] of year) {
        clock.set(T0 + d * DAY);
        await settle();
        await act();
        await settle();
      }
    }, 600_000);
    afterAll(async () => {
      await reviewStore?.close();
      await review?.stop();
      await intake?.stop();
      await target?.cleanup?.();
    });

    it('involves at least 50 parties and several buyers with their own policies', () => {
      expect(keys.size - 1).toBe(55);
      expect(Object.keys(partners)).toHaveLength(42);
      expect(Object.values(partners).reduce((n, p) => n + p.buyers.length, 0)).toBe(60);
    });

    for (const b of Object.keys(buyers) as Buyer[]) {
      it(`ends the year with the hand-worked status of each of ${buyers[b].id}'s partners`, async () => {
        const list = (await ok('GET', '/v1/partner-status', B(b))).partners as {
          partnerId: string;
          status: string;
          policyVersion: number;
        }[];
        expect(Object.fromEntries(list.map((d) => [d.partnerId, d.status]))).toEqual(expectedStatuses[b]);
      });
    }

    it('granted and revoked exactly the hand-worked exemptions, each with its cause', async () => {
      await eventually(() => {
        const exemptions = [...seen.values()]
          .flatMap((e) =>
            e.type === 'org.pdx.exemption.granted.v1' || e.type === 'org.pdx.exemption.revoked.v1'
              ? [
                  `${e.type === 'org.pdx.exemption.granted.v1' ? 'granted' : 'revoked'} ${e.data.buyerId} ${e.data.partnerId} ${e.data.clause} ${e.data.cause.kind}`,
                ]
              : [],
          )
          .sort();
        expect(exemptions).toEqual(expectedExemptions);
      }, 30_000);
    });

    it('lists the exempt partners in each Statement of Application with the clause and the scheme', async () => {
      for (const b of Object.keys(buyers) as Buyer[]) {
        const soa = await ok('GET', '/v1/statement-of-application', B(b));
        const exempt = (
          soa.partners as {
            partnerId: string;
            exemption?: { clause: string; certificates: { schemeId: string }[] };
          }[]
        ).flatMap((p) =>
          p.exemption
            ? [
                `${p.partnerId} ${p.exemption.clause} ${p.exemption.certificates.map((c) => c.schemeId).join(',')}`,
              ]
            : [],
        );
        expect(exempt, B(b)).toEqual(expectedExempt[b]);
        const counts: Record<string, number> = { partners: Object.keys(expectedStatuses[b]).length };
        for (const s of Object.values(expectedStatuses[b])) counts[s] = (counts[s] ?? 0) + 1;
        expect(soa.summary, B(b)).toEqual(counts);
      }
    });

    it('decides under each buyer’s policy version in force', async () => {
      const versions = async (b: Buyer) =>
        new Set(
          ((await ok('GET', '/v1/partner-status', B(b))).partners as { policyVersion: number }[]).map(
            (d) => d.policyVersion,
          ),
        );
      expect(await versions('hansa')).toEqual(new Set([0]));
      expect(await versions('orange')).toEqual(new Set([1]));
      expect(await versions('liberty')).toEqual(new Set([1]));
      expect(await versions('alpen')).toEqual(new Set([2]));
      expect(await versions('nordic')).toEqual(new Set([1]));
    });

    it('leaves nordic the hand-worked review tasks, incidents included', async () => {
      const tasks = (await ok('GET', '/v1/review-tasks', B('nordic'))).tasks as {
        partnerId: string;
        overdue: boolean;
        task: { reason: string; method: string; riskTier: string };
      }[];
      expect(
        Object.fromEntries(
          tasks.map((t) => [
            t.partnerId,
            `${t.task.reason} ${t.task.method} ${t.task.riskTier}${t.overdue ? ' overdue' : ''}`,
          ]),
        ),
      ).toEqual(expectedNordicTasks);
    });

    it('leaves orange the hand-worked review tasks, due in calendar months', async () => {
      const tasks = (await ok('GET', '/v1/review-tasks', B('orange'))).tasks as {
        partnerId: string;
        overdue: boolean;
        task: { reason: string; method: string; riskTier: string; dueAt: string };
      }[];
      expect(
        Object.fromEntries(
          tasks.map((t) => [
            t.partnerId,
            `${t.task.reason} ${t.task.method} ${t.task.riskTier} due ${t.task.dueAt.slice(0, 10)}${t.overdue ? ' overdue' : ''}`,
          ]),
        ),
      ).toEqual(expectedOrangeTasks);
    });

    it('carries the evidence of each exemption and review in the Statement of Application', async () => {
      const soa = await ok('GET', '/v1/statement-of-application', B('hansa'));
      const entry = (id: string) => soa.partners.find((p: { partnerId: string }) => p.partnerId === id);
      expect(entry('rhein-logistik').exemption).toEqual({
        clause: '4.4(c)',
        certificates: [
          {
            certificateId: certificateIds.get('DE AEOS 10001/21'),
            schemeId: 'eu-aeo-aeos',
            scheme: 'EU AEO — Security and Safety (AEOS)',
            number: 'DE AEOS 10001/21',
            issuingAuthority: { partyId: 'zoll-hh', name: 'Zoll Hh' },
            trust: 'attested',
            validFrom: day(-400),
            state: 'active',
          },
        ],
      });
      // The renewed ship certificate, and the function it covers.
      expect(entry('tejo-shipping').exemption.certificates[0]).toMatchObject({
        number: 'ISSC-9300001',
        issuingAuthority: { partyId: 'class-rso', name: 'Class Rso' },
        validFrom: day(189),
        validUntil: day(189 + 1400),
        functions: ['ocean-carrier'],
      });
      // A claim hansa confirmed: the issuer the holder named, and hansa's confirmation.
      expect(entry('tallinn-transit').exemption.certificates[0]).toMatchObject({
        number: 'EE AEOS 0042/20',
        trust: 'claimed',
        issuingAuthority: { name: 'National customs administration' },
        confirmedBy: { reviewer: 'Supplier security office' },
      });
      // TAPA FSR: supporting evidence of the review, not an exemption or a 4.3 coverage.
      const hub = entry('tapa-hub');
      expect(hub.coverage).toBeUndefined();
      expect(hub.supportingEvidence).toEqual([
        expect.objectContaining({
          schemeId: 'tapa-fsr',
          number: 'FSR-0026',
          functions: ['warehouse'],
          lowersRiskTier: false,
        }),
      ]);
      expect(hub.declaration).toMatchObject({ declarationId: 'dos-1', validUntil: expect.any(String) });
      expect(hub.review).toMatchObject({ method: 'questionnaire', outcome: 'credible' });
      expect(
        entry('alpine-storage').declaration.areas.map(
          (a: { code: string; name: string }) => `${a.code} ${a.name}`,
        ),
      ).toContain('E premises security');
      expect(entry('never-declares').obligations).toEqual([
        'Declaration of Security required for shipper: no declaration addressed to the buyer (ISO 28001 4.2)',
      ]);
      const alpen = await ok('GET', '/v1/statement-of-application', B('alpen'));
      expect(
        alpen.partners.find((p: { partnerId: string }) => p.partnerId === 'alpine-storage').obligations,
      ).toEqual(['area B (information exchange, access and confidentiality) missing for every partner']);
    });

    it('gives each Statement of Application a signature that pdx verify-statement checks offline', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'pdx-replay-statements-'));
      const bin = fileURLToPath(new URL('../../packages/cli/bin/pdx.js', import.meta.url));
      const args = (file: string) => ['verify-statement', file, '--url', review.url];
      // The built `pdx` binary, as a validator runs it…
      const spawned = async (file: string) => {
        try {
          const { stdout } = await promisify(execFile)(process.execPath, [bin, ...args(file)]);
          return { code: 0, out: stdout };
        } catch (error) {
          const e = error as { code: number; stdout: string; stderr: string };
          return { code: e.code, out: `${e.stdout}${e.stderr}` };
        }
      };
      // …and the same command in this process, for the rest (a node start-up each is slow on a
      // busy machine); both fetch the exchange's keys over HTTP.
      const inProcess = async (file: string) => {
        let out = '';
        const code = await runCli(args(file), {
          out: (t) => {
            out += t;
          },
          err: (t) => {
            out += t;
          },
          now: () => clock.now(),
          env: {},
        });
        return { code, out };
      };
      const expectValid = (r: { code: number; out: string }, who: string) => {
        expect(r.out, who).toMatch(/^VALID +key +exchange-test \(EdDSA\)/m);
        expect(r.out, who).toMatch(/^VALID +digest +sha-256:[0-9a-f]{64}$/m);
        expect(r.out, who).toMatch(/^VALID +signature/m);
        expect(r.code, r.out).toBe(0);
      };
      try {
        for (const b of Object.keys(buyers) as Buyer[]) {
          const res = await call('GET', '/v1/statement-of-application', B(b));
          expect(res.statusCode, res.body).toBe(200);
          const file = join(dir, `${B(b)}.json`);
          writeFileSync(file, res.body);
          expectValid(b === 'hansa' ? await spawned(file) : await inProcess(file), B(b));
        }
        // The printable page embeds the same signed statement and shows its digest.
        const page = await call('GET', '/v1/statement-of-application?format=html', B('nordic'));
        const html = join(dir, 'nordic.html');
        writeFileSync(html, page.body);
        expectValid(await inProcess(html), 'nordic page');
        expect(page.body).toMatch(/sha-256:[0-9a-f]{64}/);
        // One field altered: refused, with the reason.
        const statement = (await ok('GET', '/v1/statement-of-application', B('hansa'))) as {
          partners: { partnerId: string; status: string }[];
        };
        statement.partners.find((p) => p.partnerId === 'never-declares')!.status = 'exempt';
        const forged = join(dir, 'forged.json');
        writeFileSync(forged, JSON.stringify(statement, null, 2));
        const refused = await spawned(forged);
        expect(refused.code).toBe(1);
        expect(refused.out).toMatch(/^INVALID +signature/m);
        expect(refused.out).toContain('INVALID: digest: the statement was altered after it was signed');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  });
}
