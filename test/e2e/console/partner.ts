import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DECLARATION_TYP, signCompact } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { axeViolations, type WatchedPage } from '../browser.js';
import { chooseFile, eventually, fixture, isoRefs, link, registerParty, signIn } from './fixture.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BUYER = 'partnerpg-buyer';
const PARTNER = 'partnerpg-acme';

async function statusOf(buyerId: string, partnerId: string): Promise<string> {
  const res = await fixture.call(buyerId, 'GET', `/v1/partner-status/${partnerId}`);
  if (res.status !== 200) return `HTTP ${res.status}`;
  return ((await res.json()) as { decision: { status: string } }).decision.status;
}

/** The id of the element that has the keyboard focus. */
const focusedId = (page: WatchedPage['page']) =>
  page.evaluate(
    () =>
      (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement
        ?.id,
  );

/** A datetime-local value (the browser runs in UTC). */
const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** Scenarios of the console's browser suite (run by test/e2e/console.int.test.ts with its fixture). */
export function scenarios(): void {
  describe('Partner page', () => {
    it('shows a partner’s decision and evidence, records a review that turns it credible, an incident and a confirmation', async () => {
      // Through the API: a buyer, a warehouse linked to it that claims a TAPA certificate and
      // submits a signed declaration, so the buyer owes a review (pending-review).
      const buyer = await registerParty(BUYER, ['buyer'], 'Partner Page Retail AG');
      const partner = await registerParty(PARTNER, ['partner'], 'Acme Warehousing GmbH');
      await link(BUYER, PARTNER);
      const now = Date.now();
      await fixture.ok(PARTNER, 'POST', '/v1/certificates/claims', {
        schemeId: 'tapa-fsr',
        number: 'FSR-2026-0007',
        issuerName: 'Audit Co. (TAPA IAB)',
        scope: { functions: ['warehouse'], sites: ['DEHAM'] },
        validFrom: new Date(now - 100 * DAY).toISOString(),
        validUntil: new Date(now + 200 * DAY).toISOString(),
        evidence: 'doc://acme/tapa-fsr-2026.pdf',
      });
      const dos = {
        declarationId: 'dos-pp-1',
        issuer: PARTNER,
        recipients: [BUYER],
        scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
        measures: Object.fromEntries(
          (['A', 'C', 'E', 'F', 'H'] as const).map((area) => [
            area,
            {
              statement: `Our measures for area ${area}.`,
              controls: ['documented procedure', 'annual audit'],
              isoReferences: isoRefs[area],
            },
          ]),
        ),
        validity: { from: new Date(now - DAY).toISOString(), until: new Date(now + 300 * DAY).toISOString() },
        signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
        issuedAt: new Date(now - HOUR).toISOString(),
      };
      const jws = await signCompact(JSON.stringify(dos), partner.privateJwk, DECLARATION_TYP);
      await eventually(async () =>
        expect((await fixture.call(PARTNER, 'POST', '/v1/declarations', jws)).status).toBe(202),
      );
      await eventually(async () => expect(await statusOf(BUYER, PARTNER)).toBe('pending-review'));

      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, BUYER, buyer.keyFile);
      await page.getByRole('heading', { name: 'Partners', exact: true }).waitFor();
      // From the list to the partner's page.
      await page.getByRole('link', { name: 'Acme Warehousing GmbH' }).click();
      await page.getByRole('heading', { level: 1, name: 'Acme Warehousing GmbH' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/partners/${PARTNER}`);
      const facts = page.locator('.facts');
      expect(await facts.locator('.status').textContent()).toBe('pending review');
      // The decision in words, with its clause.
      const decision = page.getByRole('region', { name: 'Decision and why' });
      expect(await decision.textContent()).toContain(
        '4.2: Acme Warehousing GmbH stated the security measures it provides in writing, in its signed declaration of security dos-pp-1.',
      );
      expect(await decision.getByRole('listitem').filter({ hasText: 'Review due' }).textContent()).toMatch(
        /\(4\.5\): first document review of the declaration \(low risk\) — due /,
      );
      // The declaration: who signed it, its areas A–I, the exchange's report check by check.
      const evidence = page.getByRole('region', { name: 'Evidence' });
      expect(await evidence.textContent()).toContain(
        `Signed by ${PARTNER} (key ${PARTNER}-1) for E. Mustermann, Head of Security (Prokura)`,
      );
      const areas = page.getByRole('table', { name: /Security measures per area/ });
      expect(await areas.getByRole('row').count()).toBe(10);
      expect(await areas.getByRole('row', { name: /E\. Premises security/ }).textContent()).toContain(
        'Our measures for area E.',
      );
      expect(await areas.getByRole('row', { name: /D\. Conveyance security/ }).textContent()).toContain(
        'Not stated.',
      );
      const report = page.getByRole('table', { name: /Verification report/ });
      expect(await report.getByRole('row', { name: /Signature/ }).textContent()).toContain('passed');
      expect(await report.getByRole('row').count()).toBe(6);
      // The claim waits for the buyer's confirmation.
      const claim = page.getByRole('article', { name: /tapa-fsr FSR-2026-0007/ });
      expect(await claim.textContent()).toContain('Not verified');
      expect(await axeViolations(page)).toEqual([]);

      // Record a review with an evidence file, hashed in the browser; the status turns credible
      // without a reload.
      const evidenceFile = join(fixture.dir, 'partnerpg-site-visit-report.txt');
      writeFileSync(evidenceFile, 'abc');
      await page.getByRole('button', { name: 'Record a review' }).click();
      // The keyboard goes on in the form it opened, and back to its button when it closes.
      expect(await focusedId(page)).toBe('f-reviewId');
      await page.getByLabel('Reviewer').fill('J. Doe');
      // Findings raise the risk tier (medium asks for a questionnaire): a site visit is enough.
      await page.getByLabel('Method').selectOption('site-visit');
      await page.getByLabel('Findings').fill('Gate log complete\nCCTV retained 30 days');
      await chooseFile(page, 'Evidence files', evidenceFile);
      await page
        .getByText(
          'partnerpg-site-visit-report.txt: SHA-256 ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
        )
        .waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Record review' }).click();
      await page.locator('.live').getByText('Updating…').waitFor();
      await page.locator('.live').getByText('Updated: the status is now “credible”.').waitFor();
      expect(await facts.locator('.status').textContent()).toBe('credible');
      expect(await focusedId(page)).toBe('action-review');
      expect(await decision.textContent()).toMatch(
        /4\.5: your review R-\d{8}-[0-9a-f]{4} found the declaration credible\./,
      );
      const reviews = evidence.getByRole('listitem').filter({ hasText: 'site visit by J. Doe' });
      expect(await reviews.textContent()).toContain('Findings: Gate log complete; CCTV retained 30 days');
      expect(await reviews.textContent()).toContain(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
      const history = page.getByRole('region', { name: 'History of changes' });
      expect(
        await history.getByRole('row').filter({ hasText: 'pending review → credible' }).textContent(),
      ).toContain('you recorded a review');
      expect(await statusOf(BUYER, PARTNER)).toBe('credible');

      // An incident: refused first (it cannot have happened in the future), the reason next to
      // the field; then recorded, and the page shows its effect.
      await page.getByRole('button', { name: 'Record an incident' }).click();
      await page.getByLabel('Happened on').fill(local(Date.now() + 2 * DAY));
      await page.getByLabel('Severity').selectOption('high');
      await page.getByLabel('What happened').selectOption('tampering');
      await page.getByLabel('Summary').fill('Seal found broken on arrival at DEHAM.');
      await page.getByLabel('customs', { exact: true }).check();
      w.expectFailure('POST', '/v1/incidents', 400);
      await page.getByRole('button', { name: 'Record incident' }).click();
      const dateError = page.locator('#f-occurredAt-error');
      await dateError.waitFor();
      expect(await dateError.textContent()).toBe('occurredAt is in the future');
      expect(await page.getByLabel('Happened on').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Happened on').getAttribute('aria-describedby')).toContain(
        'f-occurredAt-error',
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Happened on').fill(local(Date.now() - 2 * HOUR));
      await page.getByRole('button', { name: 'Record incident' }).click();
      await page.locator('.live').getByText('Updating…').waitFor();
      await history.getByRole('row').filter({ hasText: 'you recorded an incident' }).waitFor();
      expect(await page.locator('.live').textContent()).toMatch(/^Updated: the status is now “[a-z ]+”\.$/);
      expect(await facts.textContent()).toContain('high');
      // The incident made it high risk: the next review is the site visit that tier asks for.
      expect(await decision.textContent()).toContain('Review due (4.5): next site visit (high risk)');

      // Confirm the claimed certificate once the reviewer has seen it.
      await claim.getByRole('button', { name: 'Confirm this certificate' }).click();
      await page.getByLabel('Reviewer').fill('J. Doe');
      await page.getByLabel('Evidence seen').fill('TAPA register, seen 2026-12-01');
      await page.getByRole('button', { name: 'Confirm certificate' }).click();
      await claim
        .getByText(
          /Confirmed by J\. Doe of partnerpg-buyer on .* \(evidence: TAPA register, seen 2026-12-01\)/,
        )
        .waitFor();
      expect(await claim.getByRole('button', { name: 'Confirm this certificate' }).count()).toBe(0);

      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-partner.png'), fullPage: true });
      expect(w.problems).toEqual([]);
      await w.page.close();
    });

    it('ends the link only after the buyer confirms it', async () => {
      const buyer = await registerParty('partnerpg-ender', ['buyer'], 'Partner Page Ender AG');
      await registerParty('partnerpg-gone', ['partner'], 'Gone Carriers SA');
      await link('partnerpg-ender', 'partnerpg-gone', { functions: ['road-carrier'] });
      await eventually(async () =>
        expect(await statusOf('partnerpg-ender', 'partnerpg-gone')).toBe('declaration-required'),
      );
      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, 'partnerpg-ender', buyer.keyFile);
      await page.getByRole('link', { name: 'Gone Carriers SA' }).click();
      await page.getByRole('heading', { level: 1, name: 'Gone Carriers SA' }).waitFor();
      // Nothing to review yet: the page says what is missing and what the partner must do.
      expect(await page.getByRole('button', { name: 'Record a review' }).isDisabled()).toBe(true);
      expect(await page.getByRole('region', { name: 'Evidence' }).textContent()).toContain(
        'No declaration is in force.',
      );
      await page.getByRole('button', { name: 'End the link' }).click();
      // Not without the confirmation: said next to the box.
      await page.getByRole('button', { name: 'End the link now' }).click();
      expect(await page.locator('#f-confirm-error').textContent()).toBe(
        'Tick the box to confirm that you want to end the link.',
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('I understand: end the link with partnerpg-gone').check();
      await page.getByRole('button', { name: 'End the link now' }).click();
      await page.getByText(/^The link with partnerpg-gone ended on /).waitFor();
      const relationships = (await (
        await fixture.ok('partnerpg-ender', 'GET', '/v1/relationships')
      ).json()) as {
        relationships: { partnerId: string; state: string }[];
      };
      expect(relationships.relationships.find((r) => r.partnerId === 'partnerpg-gone')?.state).toBe('ended');
      expect(await axeViolations(page)).toEqual([]);
      expect(w.problems).toEqual([]);
      await w.page.close();
    });
  });
}
