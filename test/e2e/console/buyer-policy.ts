import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../browser.js';
import { chooseFile, eventually, fixture, type RegisteredParty, registerParty, signIn } from './fixture.js';

/** Scenarios of the console's browser suite (run by test/e2e/console.int.test.ts with its fixture). */
export function scenarios(): void {
  describe('Buyer policy and invitations', () => {
    const buyerId = 'policy-buyer';
    const partnerIds = Array.from({ length: 200 }, (_, i) => `policy-p-${String(i + 1).padStart(3, '0')}`);
    let buyer: RegisteredParty;

    it('imports 200 partners from a CSV file, 3 rows bad, and a re-import changes nothing', async () => {
      buyer = await registerParty(buyerId, ['buyer'], 'Policy Buyer GmbH');
      // The partners, through the API, twenty at a time.
      for (let i = 0; i < partnerIds.length; i += 20)
        await Promise.all(partnerIds.slice(i, i + 20).map((id) => registerParty(id, ['partner'])));
      // 197 good rows; an unknown party, a bad function, a bad location. Quoted fields, BOM, CRLF.
      const rows = partnerIds.map((id, i) => {
        if (i === 197) return 'policy-nobody,warehouse,DEHAM';
        if (i === 198) return `${id},truck,DEHAM`;
        if (i === 199) return `${id},warehouse,HAMBURG`;
        return i % 2 === 0 ? `${id},"warehouse;road-carrier","DEHAM, NLRTM"` : `${id},forwarder,`;
      });
      const csv = join(fixture.dir, 'policy-partners.csv');
      writeFileSync(csv, `\uFEFFpartnerId,functions,locations\r\n${rows.join('\r\n')}\r\n`);

      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, buyerId, buyer.keyFile);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Invite partners' })
        .click();
      await page.getByRole('heading', { name: 'Invite partners', exact: true }).waitFor();

      w.expectFailure('POST', '/v1/relationships', 404);
      await chooseFile(page, /^CSV file$/, csv);
      await page.getByText('200 rows read from policy-partners.csv.').waitFor();
      await page.getByRole('button', { name: 'Import 200 rows' }).click();
      await page
        .getByText('Import finished: 197 created, 0 already linked, 3 with errors.')
        .waitFor({ timeout: 60_000 });
      expect(await page.getByRole('progressbar', { name: 'Import progress' }).getAttribute('value')).toBe(
        '200',
      );
      const results = page.getByRole('table', { name: /The result of each row/ });
      // Errors first, each with its message.
      const errorRows = await results.locator('tr.row-error').allTextContents();
      expect(errorRows).toHaveLength(3);
      expect(errorRows[0]).toMatch(/^199policy-nobodyerror partnerId: no party policy-nobody/);
      expect(errorRows[1]).toContain('functions: “truck” is not a function');
      expect(errorRows[2]).toContain('locations: “HAMBURG” is not a UN/LOCODE');
      expect(await results.getByRole('row', { name: /policy-p-001/ }).textContent()).toContain('created');
      const links = async () =>
        (
          (await (await fixture.ok(buyerId, 'GET', '/v1/relationships')).json()) as {
            relationships: unknown[];
          }
        ).relationships.length;
      await eventually(async () => expect(await links()).toBe(197));
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-invite.png'), fullPage: true });

      // The same file again: every good row is already linked, nothing changes.
      w.expectFailure('POST', '/v1/relationships', 404);
      await chooseFile(page, /^CSV file$/, csv);
      await page.getByRole('button', { name: 'Import 200 rows' }).click();
      await page
        .getByText('Import finished: 0 created, 197 already linked, 3 with errors.')
        .waitFor({ timeout: 60_000 });
      await eventually(async () => expect(await links()).toBe(197));
      expect(await axeViolations(page)).toEqual([]);
      expect(w.problems).toEqual([]);
      await w.page.close();
    }, 180_000);

    it('edits the recognition policy: shows what changes, saves with If-Match, explains a 412', async () => {
      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, buyerId, buyer.keyFile);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Recognition policy' })
        .click();
      await page.getByRole('heading', { name: 'Recognition policy', exact: true }).waitFor();
      await page.getByText('Version 0', { exact: true }).waitFor();
      await page.getByText('Nothing changes yet: edit the policy above.').waitFor();
      // Evidence-only schemes are apart and marked so.
      expect(
        await page
          .getByRole('table', { name: /These never ground an exemption/ })
          .getByText('evidence only')
          .count(),
      ).toBeGreaterThanOrEqual(3);

      await page
        .getByLabel('Recognise ISO 28001 verification (supply chain security best practice)')
        .uncheck();
      await page.getByLabel('Alert thresholds (days before a certificate expires)').fill('60, 30, 7');
      const changes = page.getByRole('region', { name: 'What changes' });
      expect(await changes.getByRole('listitem').allTextContents()).toEqual([
        'Recognised schemes: removed: iso-28001',
        'Alert thresholds (days): added: 60; removed: 90',
      ]);
      await page.getByRole('button', { name: 'Save version 1' }).click();
      await page.getByText('Saved: version 1 is in force.').waitFor();
      const saved = await fixture.ok(buyerId, 'GET', `/v1/recognition-policies/${buyerId}`);
      expect(saved.headers.get('etag')).toBe('"1"');
      const current = (await saved.json()) as { schemes: string[]; alertThresholdsDays: number[] };
      expect(current.alertThresholdsDays).toEqual([60, 30, 7]);

      // Someone else saves version 2 meanwhile; this page's save (If-Match "1") is refused.
      await fixture.ok(
        buyerId,
        'PUT',
        `/v1/recognition-policies/${buyerId}`,
        { schemes: current.schemes, digestThreshold: 8 },
        {
          'if-match': '"1"',
        },
      );
      w.expectFailure('PUT', `/v1/recognition-policies/${buyerId}`, 412);
      await page.getByLabel('Send one digest from this many alerts at once').fill('12');
      await page.getByRole('button', { name: 'Save version 2' }).click();
      await page.getByText(/Someone else saved version 2 while you were editing version 1/).waitFor();
      expect(await changes.getByRole('listitem').allTextContents()).toEqual([
        'Alert thresholds (days): added: 60; removed: 90',
        'Digest from: 8 → 12',
      ]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-policy.png'), fullPage: true });
      await page.getByRole('button', { name: 'Save version 3' }).click();
      await page.getByText('Saved: version 3 is in force.').waitFor();
      const last = (await (
        await fixture.ok(buyerId, 'GET', `/v1/recognition-policies/${buyerId}`)
      ).json()) as {
        version: number;
        digestThreshold: number;
        alertThresholdsDays: number[];
      };
      expect(last).toMatchObject({ version: 3, digestThreshold: 12, alertThresholdsDays: [60, 30, 7] });
      expect(w.problems).toEqual([]);
      await w.page.close();
    }, 120_000);

    it('renders the Statement of Application as a document, prints it on A4, offers the signed JSON', async () => {
      for (const id of partnerIds.slice(0, 2))
        await eventually(async () =>
          expect(
            (await fixture.call(id, 'POST', `/v1/relationships/${buyerId}~${id}/acceptance`, {})).status,
          ).toBeLessThan(300),
        );
      await eventually(async () => {
        const s = (await (await fixture.ok(buyerId, 'GET', '/v1/statement-of-application')).json()) as {
          partners: unknown[];
        };
        expect(s.partners).toHaveLength(2);
      }, 30_000);
      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, buyerId, buyer.keyFile);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Statement of Application' })
        .click();
      await page.getByRole('heading', { name: 'Business partners (2)' }).waitFor();
      expect(await page.getByRole('heading', { name: /Policy Buyer GmbH/ }).textContent()).toContain(buyerId);
      await page.getByRole('heading', { name: /policy-p-001/ }).waitFor();
      expect(await page.getByText('Validated by').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      // The download is the signed JSON, as the exchange sent it.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('link', { name: 'Download the signed JSON' }).click(),
      ]);
      const text = readFileSync(await download.path(), 'utf8');
      const signed = JSON.parse(text) as { buyerId: string; signature: { typ: string; jws: string } };
      expect(signed.buyerId).toBe(buyerId);
      expect(signed.signature.typ).toBe('pdx-statement+jws');
      expect(JSON.stringify(signed)).toBe(text);

      // On paper: no navigation, no buttons; the page is A4.
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
      expect(await page.getByRole('heading', { name: /Policy Buyer GmbH/ }).isVisible()).toBe(true);
      await page.screenshot({ path: join(fixture.docs, 'console-statement.png'), fullPage: true });
      const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf);
      // A4 is 210 × 297 mm: 595 × 842 points.
      expect(Math.round(Number(box?.[1]))).toBe(595);
      expect(Math.round(Number(box?.[2]))).toBe(842);
      await page.emulateMedia({ media: 'screen' });
      expect(w.problems).toEqual([]);
      await w.page.close();
    }, 120_000);
  });
}
