import { join } from 'node:path';
import { ATTESTATION_TYP, DECLARATION_TYP, signCompact } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../browser.js';
import { eventually, fixture, isoRefs, link, registerParty, signIn } from './fixture.js';

const DAY = 86_400_000;
const BUYER = 'inbox-buyer';
const CARRIER = 'inbox-carrier';
const DEPOT = 'inbox-depot';
const ISSUER = 'inbox-issuer';

/** The issuer attests a certificate of the carrier valid for `days` more days; its id. */
async function attest(number: string, days: number): Promise<string> {
  const now = Date.now();
  const jws = await signCompact(
    JSON.stringify({
      schemeId: 'iso-28000',
      number,
      holder: CARRIER,
      issuer: ISSUER,
      scope: { functions: ['warehouse'] },
      validFrom: new Date(now - 100 * DAY).toISOString(),
      validUntil: new Date(now + days * DAY).toISOString(),
      issuedAt: new Date(now - 1000).toISOString(),
    }),
    fixture.keys.get(ISSUER)!,
    ATTESTATION_TYP,
  );
  const res = await fixture.ok(ISSUER, 'POST', '/v1/certificates/attestations', jws);
  return ((await res.json()) as { certificate: { certificateId: string } }).certificate.certificateId;
}

/** The depot sends the buyer a Declaration of Security: a first review falls due. */
async function declare(): Promise<void> {
  const now = Date.now();
  const dos = {
    declarationId: 'inbox-dos-1',
    issuer: DEPOT,
    recipients: [BUYER],
    scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
    measures: Object.fromEntries(
      (['A', 'C', 'E', 'F', 'H'] as const).map((area) => [
        area,
        { statement: `Measures for ${area}.`, controls: ['documented'], isoReferences: isoRefs[area] },
      ]),
    ),
    validity: { from: new Date(now - DAY).toISOString(), until: new Date(now + 300 * DAY).toISOString() },
    signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
    issuedAt: new Date(now - 60_000).toISOString(),
  };
  await fixture.ok(
    DEPOT,
    'POST',
    '/v1/declarations',
    await signCompact(JSON.stringify(dos), fixture.keys.get(DEPOT)!, DECLARATION_TYP),
  );
}

/** Scenarios of the console's browser suite (run by test/e2e/console.int.test.ts with its fixture). */
export function scenarios(): void {
  describe('Buyer inbox', () => {
    it('shows a suspension live, acknowledges it, manages a webhook, and lists certificates and reviews owed', async () => {
      const buyer = await registerParty(BUYER, ['buyer'], 'Inbox Buyer AG');
      await registerParty(CARRIER, ['partner'], 'Inbox Carrier GmbH');
      await registerParty(DEPOT, ['partner'], 'Inbox Depot KG');
      const issuer = await registerParty(ISSUER, ['issuer'], 'Inbox Certification GmbH', {
        issuerOf: ['iso-28000'],
      });
      await link(BUYER, CARRIER);
      await link(BUYER, DEPOT);
      await eventually(async () => {
        await attest('INBOX-1', 45.5);
      });
      await attest('INBOX-2', 200.5);
      await declare();

      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, buyer.partyId, buyer.keyFile);
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Alerts' }).click();
      await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
      await page.getByText('Live: new alerts appear here as they happen.').waitFor();
      // The inbox is empty until the issuer acts, and says what to do meanwhile.
      await page.getByRole('heading', { name: 'No alerts' }).waitFor();
      // Marks this document: a reload would lose it.
      await page.evaluate(() => {
        (globalThis as unknown as { inboxMarker: boolean }).inboxMarker = true;
      });

      // The issuer suspends the certificate in its own console, at another desk (another tab
      // with its own session); the buyer's inbox shows it live.
      const desk = await fixture.browser.newPage();
      await signIn(desk, ISSUER, issuer.keyFile);
      await desk.page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Attested certificates' })
        .click();
      await desk.page.getByRole('button', { name: 'Suspend INBOX-1' }).click();
      await desk.page.getByLabel('Reason').fill('audit findings');
      await desk.page.getByRole('button', { name: 'Suspend', exact: true }).click();
      await desk.page.getByText('INBOX-1 is suspended.').waitFor();
      expect(desk.problems).toEqual([]);
      await desk.page.close();
      const item = page
        .getByRole('listitem')
        .filter({ hasText: `The issuer suspended ${CARRIER}’s certificate INBOX-1 (iso-28000).` });
      await item.waitFor({ timeout: 20_000 });
      expect(await item.textContent()).toContain('Reason given: audit findings');
      expect(await item.textContent()).toContain(`check ${CARRIER}’s status`);
      expect(await page.locator('.visually-hidden[aria-live="polite"]').textContent()).toBe(
        `New alert: The issuer suspended ${CARRIER}’s certificate INBOX-1 (iso-28000).`,
      );
      expect(
        await page.evaluate(() => (globalThis as unknown as { inboxMarker?: boolean }).inboxMarker),
      ).toBe(true);
      expect(await item.getByRole('link').getAttribute('href')).toBe(`/partners/${CARRIER}`);

      // Acknowledged from the keyboard; the exchange has it too.
      await item.getByRole('button', { name: 'Acknowledge the alert about INBOX-1' }).focus();
      await page.keyboard.press('Enter');
      await item.getByText(/^Acknowledged /).waitFor();
      expect(await page.getByText('All acknowledged').count()).toBe(1);
      const unread = (await (await fixture.ok(BUYER, 'GET', '/v1/alerts?acknowledged=false')).json()) as {
        alerts: unknown[];
      };
      expect(unread.alerts).toEqual([]);

      // A webhook to the exchange's own network is refused, the reason next to the address.
      const url = page.getByLabel('Address (URL)');
      w.expectFailure('POST', '/v1/alert-subscriptions', 400);
      await url.fill('http://127.0.0.1:9/hook');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const urlError = page.locator('#f-url-error');
      await urlError.waitFor();
      expect(await urlError.textContent()).toMatch(
        /127\.0\.0\.1 is a loopback, private or link-local address/,
      );
      expect(await url.getAttribute('aria-invalid')).toBe('true');
      expect(await url.getAttribute('aria-describedby')).toContain('f-url-error');
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document
              .activeElement?.id,
        ),
      ).toBe('f-url');
      expect(await axeViolations(page)).toEqual([]);

      // A valid one, for suspensions only: listed with the key receivers verify with.
      await url.fill('https://hooks.example.com/pdx');
      await page.getByRole('group', { name: 'Which alerts' }).getByLabel('suspended').check();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const row = page.getByRole('row', { name: /https:\/\/hooks\.example\.com\/pdx/ });
      await row.waitFor();
      expect(await row.textContent()).toContain('suspended');
      expect(await page.getByRole('status').textContent()).toBe(
        'Webhook https://hooks.example.com/pdx added.',
      );
      expect(await page.locator('#f-url-error').count()).toBe(0);
      expect(await page.getByText(/verify the Standard Webhooks signature with whpk_/).count()).toBe(1);
      expect(await page.getByText('No failed deliveries', { exact: false }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-alerts.png'), fullPage: true });
      const listed = async () =>
        (
          (await (await fixture.ok(BUYER, 'GET', '/v1/alert-subscriptions')).json()) as {
            subscriptions: { url: string; kinds: string[] }[];
          }
        ).subscriptions;
      expect(await listed()).toEqual([
        expect.objectContaining({ url: 'https://hooks.example.com/pdx', kinds: ['suspended'] }),
      ]);
      await row.getByRole('button', { name: 'Remove the webhook https://hooks.example.com/pdx' }).click();
      await row.waitFor({ state: 'detached' });
      expect(await page.getByRole('status').textContent()).toBe(
        'Webhook https://hooks.example.com/pdx removed.',
      );
      expect(await listed()).toEqual([]);

      // Certificates: the soonest lapse first, with days left, and expiries per month. Leaving
      // the alerts page closes its stream.
      const streamClosed = page.waitForEvent(
        'requestfailed',
        (request) => new URL(request.url()).pathname === '/v1/alerts/stream',
      );
      await nav.getByRole('link', { name: 'Certificates' }).click();
      expect((await streamClosed).failure()?.errorText).toBe('net::ERR_ABORTED');
      await page.getByRole('heading', { name: 'Certificates', level: 1 }).waitFor();
      const rows = page.getByRole('table', { name: /soonest expiry first/ }).getByRole('row');
      await rows.nth(2).waitFor();
      expect(await rows.nth(1).textContent()).toMatch(
        /INBOX-1.*suspended.*45 days left.*attested by inbox-issuer/,
      );
      expect(await rows.nth(2).textContent()).toMatch(/INBOX-2.*in force.*200 days left/);
      const chart = page.getByRole('img', { name: 'Expiries per month, next 12 months' });
      expect(await chart.count()).toBe(1);
      const months = page.getByRole('table', { name: 'Certificates expiring per month' });
      const counts = (await months.getByRole('cell').allTextContents()).map(Number);
      expect(counts).toHaveLength(12);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(2);
      // Any certificate by scheme and number: a scheme id the exchange refuses is named next to its field.
      w.expectFailure('GET', '/v1/certificate-status', 400);
      await page.getByLabel('Scheme', { exact: true }).fill('ISO 28000');
      await page.getByLabel('Certificate number').fill(' inbox-1 ');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page.locator('#f-scheme-error').waitFor();
      expect(await page.locator('#f-scheme-error').textContent()).toMatch(/must match pattern/);
      expect(await page.getByLabel('Scheme', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Scheme', { exact: true }).fill('iso-28000');
      await page.getByRole('button', { name: 'Check', exact: true }).click();
      await page
        .getByText('INBOX-1 (iso-28000) is held by inbox-carrier: suspended, 45 days left.')
        .waitFor();
      expect(await page.locator('#f-scheme-error').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-certificates.png'), fullPage: true });

      // Reviews owed: the depot's first review, due in the locale, leading to the partner's page.
      await eventually(async () => {
        const tasks = (await (await fixture.ok(BUYER, 'GET', '/v1/review-tasks')).json()) as {
          tasks: { partnerId: string }[];
        };
        expect(tasks.tasks.map((x) => x.partnerId)).toContain(DEPOT);
      }, 30_000);
      await nav.getByRole('link', { name: 'Reviews owed' }).click();
      await page.getByRole('heading', { name: 'Reviews owed', level: 1 }).waitFor();
      const task = page.getByRole('row', { name: new RegExp(DEPOT) });
      await task.waitFor();
      expect(await task.textContent()).toMatch(
        /due.*First review of declaration inbox-dos-1.*Document review/,
      );
      expect(await task.locator('time').textContent()).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d{4}$/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-reviews.png'), fullPage: true });
      await task.getByRole('link', { name: DEPOT }).click();
      await page.waitForURL(`**/partners/${DEPOT}`);

      expect(w.problems).toEqual([]);
      await w.page.close();
    });
  });
}
