import { eventually } from '@pdx/bus/testing';
import type { PublicJwk } from '@pdx/contracts';
import { ATTESTATION_TYP, generateSigningKey, type PrivateJwk, signCompact } from '@pdx/crypto';
import type { Host } from '@pdx/host';
import { intakeService } from '@pdx/intake';
import { reviewService } from '@pdx/review';
import { ManualClock } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, hostEnv, startHost } from './api-client.js';
import type { SliceTarget } from './targets.js';

const DAY = 86_400_000;
const PARTNERS = 24;
const COUNTRIES = ['DE', 'FR', 'NL'] as const;
/** pl-00 … pl-23; every eighth holds an AEO authorisation (exempt, ISO 28001 4.4(c)). */
const ids = Array.from({ length: PARTNERS }, (_, i) => `pl-${String(i).padStart(2, '0')}`);
const aeoHolders = ids.filter((_, i) => i % 8 === 3);

interface ListAnswer {
  partners: { partnerId: string; status: string; obligations: { dueAt?: string }[] }[];
  parties: Record<string, { legalName?: string; country?: string }>;
  counts: Record<string, number>;
  total: number;
  matching: number;
  offset: number;
  next?: string;
  previous?: string;
}

/**
 * The buyer's partner list, a page at a time: counts of the whole list, filters and search
 * by name or identifier, keyset cursors both ways, and each bad query value refused at its
 * parameter.
 */
export function partnerListSuite(name: string, makeTarget: () => Promise<SliceTarget>): void {
  describe(`partner list: ${name}`, () => {
    const clock = new ManualClock('2027-03-01T00:00:00Z');
    let target: SliceTarget;
    let intake: Host;
    let review: Host;
    const keys = new Map<string, { privateJwk: PrivateJwk; publicJwk: PublicJwk }>();
    const { call, ok } = apiClient(clock, (who) => keys.get(who)!.privateJwk);
    const list = async (query = ''): Promise<ListAnswer> =>
      ok(review, 'GET', `/v1/partner-status${query}`, 'pl-buyer');

    beforeAll(async () => {
      target = await makeTarget();
      for (const who of ['ops', 'pl-buyer', 'pl-zoll', ...ids])
        keys.set(who, await generateSigningKey('EdDSA', `${who}-1`));
      const { env } = await hostEnv(target, keys.get('ops')!.publicJwk);
      intake = await startHost('pdx-intake', [intakeService], env, clock);
      review = await startHost('pdx-review', [reviewService], env, clock);
      const register = (partyId: string, roles: string[], extra = {}) =>
        ok(intake, 'POST', '/v1/parties', 'ops', {
          partyId,
          legalName: partyId,
          country: 'DE',
          roles,
          jwks: { keys: [keys.get(partyId)!.publicJwk] },
          ...extra,
        });
      await register('pl-buyer', ['buyer']);
      await register('pl-zoll', ['issuer'], { issuerOf: ['eu-aeo-aeos'] });
      await Promise.all(
        ids.map(async (id, i) => {
          await register(id, ['partner'], {
            legalName: `${i % 2 === 0 ? 'Northwind' : 'Contoso'} Freight ${i}`,
            country: COUNTRIES[i % 3],
            identifiers: [{ scheme: 'EORI', value: `${COUNTRIES[i % 3]}99000${String(i).padStart(4, '0')}` }],
          });
          await ok(intake, 'POST', '/v1/relationships', 'pl-buyer', {
            partnerId: id,
            scopeOfService: { functions: [i % 2 === 0 ? 'warehouse' : 'ocean-carrier'] },
          });
          await ok(intake, 'POST', `/v1/relationships/pl-buyer~${id}/acceptance`, id, {});
        }),
      );
      for (const holder of aeoHolders) {
        const payload = {
          schemeId: 'eu-aeo-aeos',
          number: `DE AEOS ${holder.slice(3)}77/27`,
          holder,
          issuer: 'pl-zoll',
          scope: { functions: ['warehouse', 'ocean-carrier'] },
          validFrom: new Date(clock.now() - 100 * DAY).toISOString(),
          issuedAt: new Date(clock.now() - 1000).toISOString(),
        };
        await ok(
          intake,
          'POST',
          '/v1/certificates/attestations',
          'pl-zoll',
          await signCompact(JSON.stringify(payload), keys.get('pl-zoll')!.privateJwk, ATTESTATION_TYP),
        );
      }
      await eventually(async () => {
        const all = await list();
        expect(all.total).toBe(PARTNERS);
        expect(all.counts.exempt).toBe(aeoHolders.length);
      }, 60_000);
    }, 120_000);
    afterAll(async () => {
      await review?.stop();
      await intake?.stop();
      await target?.cleanup?.();
    });

    it('pages through the whole list in its order, forward and back', async () => {
      const seen: string[] = [];
      let page = await list('?limit=10');
      expect([page.offset, page.previous, page.matching]).toEqual([0, undefined, PARTNERS]);
      const offsets = [page.offset];
      seen.push(...page.partners.map((p) => p.partnerId));
      while (page.next) {
        page = await list(`?limit=10&cursor=${page.next}`);
        offsets.push(page.offset);
        seen.push(...page.partners.map((p) => p.partnerId));
      }
      expect(offsets).toEqual([0, 10, 20]);
      expect(page.partners).toHaveLength(4);
      expect([...seen].sort()).toEqual(ids);
      // The order the console shows: the next obligation due first, then the partner id.
      const all = await list('?limit=200');
      expect(all.partners.map((p) => p.partnerId)).toEqual(seen);
      const keyOf = (p: ListAnswer['partners'][number]) => {
        const dues = p.obligations.flatMap((o) => (o.dueAt ? [Date.parse(o.dueAt)] : []));
        return [dues.length > 0 ? Math.min(...dues) : Number.MAX_SAFE_INTEGER, p.partnerId] as const;
      };
      const sorted = [...all.partners].sort((a, b) => {
        const [x, y] = [keyOf(a), keyOf(b)];
        return x[0] - y[0] || (x[1] < y[1] ? -1 : 1);
      });
      expect(all.partners).toEqual(sorted);
      // Back from the last page: the same pages again.
      const back = await list(`?limit=10&cursor=${page.previous}`);
      expect([back.offset, back.partners.map((p) => p.partnerId)]).toEqual([10, seen.slice(10, 20)]);
      const start = await list(`?limit=10&cursor=${back.previous}`);
      expect([start.offset, start.previous, start.partners.map((p) => p.partnerId)]).toEqual([
        0,
        undefined,
        seen.slice(0, 10),
      ]);
      // Names and countries come with the page.
      expect(all.parties['pl-04']).toEqual({ legalName: 'Northwind Freight 4', country: 'FR' });
    });

    it('counts the whole list and filters by status, country and function', async () => {
      const exempt = await list('?status=exempt');
      expect(exempt.partners.map((p) => p.partnerId)).toEqual(aeoHolders);
      expect(exempt.matching).toBe(aeoHolders.length);
      expect(exempt.total).toBe(PARTNERS);
      const statuses = Object.entries(exempt.counts).filter(([, n]) => n > 0);
      expect(statuses.reduce((a, [, n]) => a + n, 0)).toBe(PARTNERS);
      const other = statuses.find(([s]) => s !== 'exempt')![0];
      const two = await list(`?status=exempt,${other}&limit=5`);
      expect(two.matching).toBe(exempt.counts.exempt! + exempt.counts[other]!);
      const nl = await list('?country=NL&status=exempt');
      expect(nl.partners.map((p) => p.partnerId)).toEqual(
        aeoHolders.filter((id) => Number(id.slice(3)) % 3 === 2),
      );
      const carriers = await list('?function=ocean-carrier&limit=5');
      expect(carriers.matching).toBe(PARTNERS / 2);
      expect(carriers.partners).toHaveLength(5);
      const nextCarriers = await list(`?function=ocean-carrier&limit=5&cursor=${carriers.next}`);
      expect([nextCarriers.offset, nextCarriers.partners.length]).toEqual([5, 5]);
      expect(
        [...carriers.partners, ...nextCarriers.partners].every((p) => Number(p.partnerId.slice(3)) % 2 === 1),
      ).toBe(true);
      expect((await list('?status=not-credible')).partners).toEqual([]);
    });

    it('searches by name, party id, identifier and AEO number, case-insensitively', async () => {
      const ids = async (q: string) =>
        (await list(`?q=${encodeURIComponent(q)}&limit=200`)).partners.map((p) => p.partnerId).sort();
      expect(await ids('contoso freight 1')).toEqual(['pl-01', 'pl-11', 'pl-13', 'pl-15', 'pl-17', 'pl-19']);
      expect(await ids('PL-2')).toEqual(['pl-20', 'pl-21', 'pl-22', 'pl-23']);
      expect(await ids('nl990000005')).toEqual(['pl-05']);
      expect(await ids('de aeos 1177')).toEqual(['pl-11']);
      expect(await ids('nobody')).toEqual([]);
      const found = await list('?q=northwind&status=exempt');
      expect([found.matching, found.total]).toEqual([
        aeoHolders.filter((id) => Number(id.slice(3)) % 2 === 0).length,
        PARTNERS,
      ]);
    });

    it('lists only what falls due before a date', async () => {
      const all = await list('?limit=200');
      const soon = await list(
        `?dueBefore=${encodeURIComponent(new Date(clock.now() + 20_000 * DAY).toISOString())}`,
      );
      expect(soon.matching).toBe(all.partners.filter((p) => p.obligations.some((o) => o.dueAt)).length);
      expect((await list('?dueBefore=2000-01-01')).matching).toBe(0);
    });

    it('refuses a bad query value at its parameter, with a 400', async () => {
      for (const [query, pointer] of [
        ['status=trusted', '/status'],
        ['status=exempt,,covered', '/status'],
        ['country=de', '/country'],
        ['dueBefore=2027-02-30', '/dueBefore'],
        ['limit=0', '/limit'],
        ['limit=201', '/limit'],
        ['limit=ten', '/limit'],
        ['cursor=bm9wZQ', '/cursor'],
        ['q=', '/q'],
        ['sort=name', '/sort'],
      ] as const) {
        const res = await call(review, 'GET', `/v1/partner-status?${query}`, 'pl-buyer');
        expect(res.statusCode, query).toBe(400);
        expect(res.headers['content-type'], query).toMatch(/^application\/problem\+json/);
        expect(res.json(), query).toMatchObject({ code: 'PDX_REQUEST_INVALID', pointer });
      }
    });
  });
}
