import { join } from 'node:path';
import { ATTESTATION_TYP, signCompact } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../browser.js';
import { eventually, fixture, link, registerParty, signIn } from './fixture.js';

const PARTNERS = 60;
const COUNTRIES = ['DE', 'FR', 'NL'] as const;
const ids = Array.from({ length: PARTNERS }, (_, i) => `pl-p-${String(i).padStart(2, '0')}`);
/** Every fifteenth partner holds an AEO authorisation: exempt (ISO 28001 4.4(c)). */
const aeoHolders = ids.filter((_, i) => i % 15 === 4);
const eoriOf = (i: number) => `${COUNTRIES[i % 3]}4400${String(i).padStart(8, '0')}`;

/** Scenarios of the console's browser suite (run by test/e2e/console.int.test.ts with its fixture). */
export function scenarios(): void {
  describe('Partners list', () => {
    it('filters, searches by an identifier and pages through 60 partners', async () => {
      const buyer = await registerParty('pl-buyer', ['buyer'], 'Umbrella Trading SE');
      await registerParty('pl-customs', ['issuer'], 'Customs Office Hamburg', { issuerOf: ['eu-aeo-aeos'] });
      // Set up through the API, ten at a time: parties, links offered and accepted.
      for (let from = 0; from < PARTNERS; from += 10) {
        await Promise.all(
          ids.slice(from, from + 10).map(async (id, k) => {
            const i = from + k;
            await registerParty(id, ['partner'], `${i % 2 === 0 ? 'Northwind' : 'Contoso'} Freight ${i}`, {
              country: COUNTRIES[i % 3],
              identifiers: [{ scheme: 'EORI', value: eoriOf(i) }],
            });
            await link('pl-buyer', id, { functions: [i % 2 === 0 ? 'warehouse' : 'ocean-carrier'] });
          }),
        );
      }
      for (const holder of aeoHolders) {
        const payload = {
          schemeId: 'eu-aeo-aeos',
          number: `DE AEOS ${holder.slice(5)}55/27`,
          holder,
          issuer: 'pl-customs',
          scope: { functions: ['warehouse', 'ocean-carrier'] },
          validFrom: new Date(Date.now() - 100 * 86_400_000).toISOString(),
          issuedAt: new Date(Date.now() - 1000).toISOString(),
        };
        await fixture.ok(
          'pl-customs',
          'POST',
          '/v1/certificates/attestations',
          await signCompact(JSON.stringify(payload), fixture.keys.get('pl-customs')!, ATTESTATION_TYP),
        );
      }
      await eventually(async () => {
        const list = (await (await fixture.ok('pl-buyer', 'GET', '/v1/partner-status?limit=1')).json()) as {
          total: number;
          counts: Record<string, number>;
        };
        expect([list.total, list.counts.exempt]).toEqual([PARTNERS, aeoHolders.length]);
      }, 30_000);

      const w = await fixture.browser.newPage();
      const { page } = w;
      const showing = page.locator('p.showing');
      const rows = page.locator('tbody tr');
      await signIn(w, 'pl-buyer', buyer.keyFile);
      await page.getByRole('heading', { name: 'Partners', exact: true }).waitFor();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–50 of 60');
      expect(await rows.count()).toBe(50);
      expect(await page.locator('.total').textContent()).toBe('60 partners');
      // Each row: the legal name with the id, leading to the partner's page.
      const first = page.getByRole('row', { name: /Northwind Freight 0 pl-p-00/ });
      expect(await first.getByRole('link', { name: 'Northwind Freight 0' }).getAttribute('href')).toBe(
        '/partners/pl-p-00',
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-partners.png'), fullPage: true });

      // A count filters by its status.
      await page.getByRole('link', { name: 'exempt: 4 — show only these' }).click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–4 of 4');
      expect(new URL(page.url()).search).toBe('?status=exempt');
      expect(await rows.locator('.status').allTextContents()).toEqual([
        'exempt',
        'exempt',
        'exempt',
        'exempt',
      ]);
      expect(await page.getByRole('checkbox', { name: 'exempt' }).isChecked()).toBe(true);

      // Search by an identifier (an EORI, typed in lower case), with a status and a country.
      await page.getByRole('link', { name: 'Clear filters' }).first().click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–50 of 60');
      await page.getByLabel('Search').fill(eoriOf(17).toLowerCase());
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–1 of 1');
      expect(await rows.first().getByRole('link').textContent()).toBe('Contoso Freight 17');
      expect(new URL(page.url()).searchParams.get('q')).toBe(eoriOf(17).toLowerCase());
      // The row leads to the partner's page; back comes to the same filtered list.
      await rows.first().getByRole('link').click();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/partners/pl-p-17');
      await page.goBack();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–1 of 1');
      expect(await page.getByLabel('Search').inputValue()).toBe(eoriOf(17).toLowerCase());

      // By function and country: the warehouses in NL (i even and i % 3 = 2: 2, 8, … 56).
      await page.getByLabel('Search').fill('');
      await page.getByLabel('Function').selectOption('warehouse');
      await page.getByLabel('Country').fill('nl');
      await page.getByRole('button', { name: 'Apply' }).click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–10 of 10');
      expect(new URL(page.url()).searchParams.get('country')).toBe('NL');

      // Nothing matches: says so, apart from "no partners yet".
      await page.getByLabel('Search').fill('no such partner');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.getByRole('heading', { name: 'No partner matches' }).waitFor();
      expect(await page.getByRole('heading', { name: 'No partners yet' }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);

      // A country that is not two letters: said next to the field, nothing sent.
      await page.getByLabel('Country').fill('N');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.locator('#f-country-error').waitFor();
      expect(await page.locator('#f-country-error').textContent()).toBe(
        'A country is two letters (ISO 3166), e.g. DE.',
      );
      expect(await page.getByLabel('Country').getAttribute('aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);

      // Pages of 50: next, then back to the first.
      await page.getByRole('link', { name: 'Clear filters' }).first().click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–50 of 60');
      const firstPage = await rows.locator('th').allTextContents();
      await page.getByRole('button', { name: 'Next page' }).click();
      await expect.poll(() => showing.textContent()).toBe('Showing 51–60 of 60');
      expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
      const secondPage = await rows.locator('th').allTextContents();
      expect(secondPage).toHaveLength(10);
      expect(new Set([...firstPage, ...secondPage]).size).toBe(PARTNERS);
      await page.getByRole('button', { name: 'Previous page' }).click();
      await expect.poll(() => showing.textContent()).toBe('Showing 1–50 of 60');
      expect(await rows.locator('th').allTextContents()).toEqual(firstPage);
      expect(await page.getByRole('button', { name: 'Previous page' }).isDisabled()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);

      expect(w.problems).toEqual([]);
      await page.close();
    });
  });
}
