import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { axeViolations, type WatchedPage } from '../browser.js';
import { chooseFile, eventually, fixture, type RegisteredParty, registerParty, signIn } from './fixture.js';

type Page = WatchedPage['page'];

/** Fills one area's statement and controls in the composer. */
async function stateArea(page: Page, code: string, statement: string, controls: string): Promise<void> {
  await page.getByLabel(`Area ${code}: statement`).fill(statement);
  await page.getByLabel(`Area ${code}: controls`).fill(controls);
}

/** Waits until the field labelled `label` holds `expected`. */
async function expectValue(page: Page, label: string, expected: string): Promise<void> {
  await eventually(async () =>
    expect(await page.getByLabel(label, { exact: true }).inputValue()).toBe(expected),
  );
}

/** The checks of the report shown, each as "name: outcome". */
async function reportChecks(page: Page): Promise<string[]> {
  const items = page
    .getByRole('list', { name: 'Checks, in the order the exchange runs them' })
    .getByRole('listitem');
  return Promise.all(
    (await items.all()).map(
      async (li) =>
        `${await li.locator('.check-name').textContent()}: ${await li.locator('.check-status').textContent()}`,
    ),
  );
}

/**
 * A partner's pages in Chromium: it accepts a buyer's offer on My buyers, composes a
 * declaration (UN/LOCODE checked as typed, the areas its function requires marked), signs it
 * with its key file, submits it and reads the report check by check; a declaration the
 * exchange refuses shows the refusal next to the field; an accepted one is superseded.
 */
export function scenarios(): void {
  describe('Partner declarations', () => {
    let buyer: RegisteredParty;
    let partner: RegisteredParty;

    it('accepts a buyer’s offer on My buyers', async () => {
      buyer = await registerParty('decl-buyer', ['buyer'], 'Declare Buyer AG');
      partner = await registerParty('decl-partner', ['partner'], 'Declare Partner GmbH');
      await eventually(async () =>
        expect(
          (
            await fixture.call(buyer.partyId, 'POST', '/v1/relationships', {
              partnerId: partner.partyId,
              scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
            })
          ).status,
        ).toBe(201),
      );
      const w = await fixture.browser.newPage();
      const { page } = w;
      await eventually(async () => {
        const res = await fixture.call(partner.partyId, 'GET', '/v1/relationships');
        const body = (await res.json()) as { relationships: { state: string }[] };
        expect(body.relationships.map((r) => r.state)).toEqual(['offered']);
      });
      await signIn(w, partner.partyId, partner.keyFile);
      await page.getByRole('heading', { name: 'My buyers', exact: true }).waitFor();
      const row = page.getByRole('row', { name: /decl-buyer/ });
      await row.waitFor();
      expect(await row.textContent()).toMatch(/warehouse · DEHAM.*offer to answer/);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-buyers.png'), fullPage: true });
      await page.getByRole('button', { name: 'Accept the offer of decl-buyer' }).click();
      await page.getByText('You accepted the offer of decl-buyer.').waitFor();
      expect(await row.locator('.link-state').textContent()).toBe('linked');
      expect(await page.getByRole('button', { name: 'End the link with decl-buyer' }).isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
      expect(w.problems).toEqual([]);
    });

    it('composes, signs and submits a declaration, and shows the report check by check; a refused field is marked; then supersedes it', async () => {
      await eventually(async () => {
        const res = await fixture.call(partner.partyId, 'GET', '/v1/relationships');
        const body = (await res.json()) as { relationships: { state: string }[] };
        expect(body.relationships.map((r) => r.state)).toEqual(['accepted']);
      });
      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, partner.partyId, partner.keyFile);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Declarations' })
        .click();
      await page.getByRole('heading', { name: 'No declarations yet' }).waitFor();
      await page.getByRole('link', { name: 'Write a new declaration' }).click();
      await page.getByRole('heading', { name: 'New declaration', exact: true }).waitFor();

      // The linked buyer is the one recipient offered, already chosen.
      const recipients = page.getByRole('group', { name: 'Buyers to address it to' });
      expect(await recipients.getByRole('checkbox', { name: 'decl-buyer' }).isChecked()).toBe(true);

      await page.getByLabel('Declaration id').fill('decl-dos-1');
      await page.getByRole('checkbox', { name: 'warehouse', exact: true }).check();
      // The areas a warehouse needs are marked: every partner's (A, F, H) and its own (C, E).
      for (const code of ['A', 'C', 'E', 'F', 'H'])
        expect(await page.locator(`#f-measures-${code} legend`).textContent()).toMatch(/Required for/);
      expect(await page.locator('#f-measures-C legend').textContent()).toMatch(/Required for warehouse/);
      expect(await page.locator('#f-measures-D legend').textContent()).toMatch(/Optional/);
      expect(await page.getByText('Required areas not stated yet: A, F, H, C, E.').isVisible()).toBe(true);

      // UN/LOCODE checked as typed: a country that does not exist is named at once.
      const locations = page.getByLabel('Locations (UN/LOCODE)');
      await locations.fill('deham, XXABC');
      await page.getByText('XXABC: there is no country XX (ISO 3166-1).').waitFor();
      await locations.fill('DEHAM, NLRTM');
      await page.getByText('Recognised: DEHAM (Germany), NLRTM (Netherlands)').waitFor();

      await page.getByRole('button', { name: 'Add a route' }).click();
      await page.getByLabel('Route 1: from').fill('DEHAM');
      await page.getByLabel('Route 1: to').fill('NLRTM');
      await page.getByLabel('Route 1: mode').selectOption('road');

      await stateArea(
        page,
        'A',
        'Every employee is trained in security awareness each year.',
        'Annual training\nInduction briefing',
      );
      await stateArea(
        page,
        'C',
        'Cargo is sealed and checked at every hand-over.',
        'Seal log at each dock\nTwo-person seal checks',
      );
      await stateArea(
        page,
        'E',
        'The site is fenced, lit and access-controlled.',
        'Badge readers at every door\nCCTV kept 30 days',
      );
      await stateArea(page, 'F', 'Staff in security roles are screened before hiring.', 'Background checks');
      await stateArea(
        page,
        'H',
        'An incident plan is tested twice a year.',
        'Incident response plan\nDrills every six months',
      );
      await page.getByText('Required areas not stated yet').waitFor({ state: 'hidden' });

      await page.getByLabel('Name', { exact: true }).fill('Jana Novak');
      await page.getByLabel('Title', { exact: true }).fill('Managing Director');
      await page
        .getByLabel('Authority to bind your organisation')
        .fill('Managing Director, sole power of representation');
      await chooseFile(page, 'Signing key file', partner.keyFile);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-declaration-new.png'), fullPage: true });

      await page.getByRole('button', { name: 'Sign and submit' }).click();
      await page.getByRole('heading', { name: 'Verification report' }).waitFor();
      await page.getByText('Accepted: declaration decl-dos-1 is recorded and sent to decl-buyer.').waitFor();
      expect(await reportChecks(page)).toEqual([
        'Signature made with your registered key: passed',
        'Key valid when it was signed: passed',
        'Content complete and well-formed: passed',
        'Issuer is the signing party: passed',
        'Validity period acceptable: passed',
      ]);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-declaration-report.png'), fullPage: true });

      // What the exchange recorded is what was composed, signed by the partner's key.
      const stored = (await (
        await fixture.ok(partner.partyId, 'GET', '/v1/declarations/decl-partner/decl-dos-1')
      ).json()) as {
        declaration: { measures: Record<string, { controls: string[] }>; scopeOfService: unknown };
      };
      expect(Object.keys(stored.declaration.measures).sort()).toEqual(['A', 'C', 'E', 'F', 'H']);
      expect(stored.declaration.measures.C?.controls).toEqual([
        'Seal log at each dock',
        'Two-person seal checks',
      ]);
      expect(stored.declaration.scopeOfService).toEqual({
        functions: ['warehouse'],
        locations: ['DEHAM', 'NLRTM'],
        routes: [{ from: 'DEHAM', to: 'NLRTM', mode: 'road' }],
      });

      // A declaration whose validity is already over: the exchange refuses it, and says so
      // next to "Valid until", with the report's failed check naming that field.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Declarations' })
        .click();
      await page.getByRole('link', { name: 'Write a new declaration' }).click();
      await page.getByLabel('Declaration id').fill('decl-dos-old');
      await page.getByRole('checkbox', { name: 'warehouse', exact: true }).check();
      await stateArea(page, 'C', 'Cargo is sealed.', 'Seal log');
      await page.getByLabel('Valid from').fill('2020-01-01');
      await page.getByLabel('Valid until (inclusive)').fill('2020-12-31');
      await page.getByLabel('Name', { exact: true }).fill('Jana Novak');
      await page.getByLabel('Title', { exact: true }).fill('Managing Director');
      await page.getByLabel('Authority to bind your organisation').fill('sole power of representation');
      await chooseFile(page, 'Signing key file', partner.keyFile);
      w.expectFailure('POST', '/v1/declarations', 400);
      await page.getByRole('button', { name: 'Sign and submit' }).click();
      const untilError = page.locator('#f-validity-until-error');
      await untilError.waitFor();
      expect(await untilError.textContent()).toMatch(/validity ended at 2020-12-31T23:59:59/);
      expect(await page.getByLabel('Valid until (inclusive)').getAttribute('aria-invalid')).toBe('true');
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
              .id,
        ),
      ).toBe('f-validity-until');
      expect(await reportChecks(page)).toEqual([
        'Signature made with your registered key: passed',
        'Key valid when it was signed: passed',
        'Content complete and well-formed: passed',
        'Issuer is the signing party: passed',
        'Validity period acceptable: failed',
      ]);
      expect(await page.locator('.check-INVALID .check-field').textContent()).toBe(
        'Field: Valid until (inclusive)',
      );
      expect(await axeViolations(page)).toEqual([]);

      // Signed with a key that is not the partner's (the buyer's file picked by mistake): the
      // signature check fails, and the message is next to the key file, the thing to change.
      await page.getByLabel('Valid from').fill('2026-01-01');
      await page.getByLabel('Valid until (inclusive)').fill('2027-01-01');
      await chooseFile(page, 'Signing key file', buyer.keyFile);
      w.expectFailure('POST', '/v1/declarations', 400);
      await page.getByRole('button', { name: 'Sign and submit' }).click();
      const keyError = page.locator('#f-key-error');
      await keyError.waitFor();
      expect(await keyError.textContent()).toMatch(/decl-buyer-1/);
      expect(await page.locator('#f-validity-until-error').count()).toBe(0);
      expect((await reportChecks(page))[0]).toBe('Signature made with your registered key: failed');
      expect(await axeViolations(page)).toEqual([]);

      // Supersede the accepted one: the composer starts from it.
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Declarations' })
        .click();
      await page.getByRole('link', { name: 'decl-dos-1', exact: true }).click();
      await page.getByRole('heading', { name: 'Declaration decl-dos-1' }).waitFor();
      await page.getByRole('list', { name: 'Checks, in the order the exchange runs them' }).waitFor();
      expect(await page.getByText('Seal log at each dock').isVisible()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Supersede it with a new version' }).click();
      await page.getByText('This declaration replaces decl-dos-1.').waitFor();
      expect(await page.getByLabel('Declaration id').inputValue()).toBe('decl-dos-2');
      expect(await page.getByLabel('Area C: controls').inputValue()).toBe(
        'Seal log at each dock\nTwo-person seal checks',
      );
      expect(await page.getByRole('checkbox', { name: 'warehouse', exact: true }).isChecked()).toBe(true);
      await page
        .getByLabel('Area C: controls')
        .fill('Seal log at each dock\nTwo-person seal checks\nSeal numbers sent ahead');
      await chooseFile(page, 'Signing key file', partner.keyFile);
      await page.getByRole('button', { name: 'Sign and submit' }).click();
      await page.getByText('Accepted: declaration decl-dos-2 is recorded and sent to decl-buyer.').waitFor();
      await eventually(async () => {
        const list = (await (await fixture.ok(partner.partyId, 'GET', '/v1/declarations')).json()) as {
          declarations: { declarationId: string; state: string; supersedes?: string }[];
        };
        expect(list.declarations.map((d) => [d.declarationId, d.state, d.supersedes])).toEqual([
          ['decl-dos-2', 'current', 'decl-dos-1'],
          ['decl-dos-1', 'superseded', undefined],
        ]);
      });
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Declarations' })
        .click();
      const old = page.getByRole('row', { name: /decl-dos-1/ });
      await old.waitFor();
      expect(await old.textContent()).toMatch(/superseded\s*by decl-dos-2/);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
      expect(w.problems).toEqual([]);
    });
    it('shows the declaration to its recipient buyer', async () => {
      const w = await fixture.browser.newPage();
      const { page } = w;
      // Reached from another page (a partner's) in the same session, and at the worst moment:
      // the address changes the instant the signed-in console first renders, before it has
      // sent the person to their first page. The page asked for is the one shown.
      await signIn(w, buyer.partyId, buyer.keyFile, {
        beforeSubmit: () =>
          page.evaluate(() => {
            const g = globalThis as unknown as {
              history: { pushState(s: null, t: string, u: string): void };
              dispatchEvent(e: unknown): void;
              PopStateEvent: new (type: string) => unknown;
              document: { body: unknown; querySelector(s: string): unknown };
              MutationObserver: new (
                f: () => void,
              ) => { observe(n: unknown, o: object): void; disconnect(): void };
            };
            const observer = new g.MutationObserver(() => {
              if (!g.document.querySelector('nav[aria-label="Main"]')) return;
              observer.disconnect();
              g.history.pushState(null, '', '/declarations/decl-partner/decl-dos-2');
              g.dispatchEvent(new g.PopStateEvent('popstate'));
            });
            observer.observe(g.document.body, { childList: true, subtree: true });
          }),
      });
      await page.getByRole('heading', { name: 'Declaration decl-dos-2' }).waitFor();
      await page.getByText('Seal numbers sent ahead').waitFor();
      expect(await page.locator('.decl-state').textContent()).toBe('current');
      // Superseding is its issuer's act, not the buyer's.
      expect(await page.getByRole('link', { name: 'Supersede it with a new version' }).count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
      expect(w.problems).toEqual([]);
    });

    it('claims a certificate with its evidence hashed in the browser; an unknown scheme is marked', async () => {
      const w = await fixture.browser.newPage();
      const { page } = w;
      await signIn(w, partner.partyId, partner.keyFile);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Certificates and claims' })
        .click();
      await page.getByRole('heading', { name: 'No certificates yet' }).waitFor();
      await page.getByLabel('Scheme', { exact: true }).fill('no-such-scheme');
      await page.getByLabel('Certificate number').fill('FSR-DECL-1');
      await page.getByLabel('Issued by').fill('TAPA EMEA audit body');
      await page.getByLabel('Valid from').fill('2026-01-01');
      await page.getByLabel('Valid until (leave empty if open-ended)').fill('2028-12-31');
      await page.getByRole('checkbox', { name: 'warehouse', exact: true }).check();
      await page.getByLabel('Sites it covers (UN/LOCODE)').fill('DEHAM');
      const evidence = join(fixture.dir, 'fsr-certificate.pdf');
      writeFileSync(evidence, 'the certificate as the audit body issued it');
      await chooseFile(page, 'Evidence file (hashed in this browser)', evidence);
      // Only the hash leaves the browser: the SHA-256 of the file's bytes, as computed here.
      const digest = createHash('sha256').update(readFileSync(evidence)).digest('hex');
      await expectValue(page, 'Where a reviewer can see it', `sha256:${digest} (fsr-certificate.pdf)`);
      w.expectFailure('POST', '/v1/certificates/claims', 400);
      await page.getByRole('button', { name: 'Claim the certificate' }).click();
      const schemeError = page.locator('#f-schemeId-error');
      await schemeError.waitFor();
      expect(await schemeError.textContent()).toMatch(/no-such-scheme is not in the scheme catalogue/);
      expect(await page.getByLabel('Scheme', { exact: true }).getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Scheme', { exact: true }).fill('tapa-fsr');
      await page.getByRole('button', { name: 'Claim the certificate' }).click();
      await page.getByText('Claimed: tapa-fsr FSR-DECL-1.').waitFor();
      const row = page.getByRole('row', { name: /tapa-fsr/ });
      expect(await row.textContent()).toMatch(
        /FSR-DECL-1.*claimed \(issued by TAPA EMEA audit body\).*active.*warehouse · DEHAM/,
      );
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-my-certificates.png'), fullPage: true });
      await page.close();
      expect(w.problems).toEqual([]);
    });
  });
}
