import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTESTATION_TYP, signCompact } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../browser.js';
import { chooseFile, eventually, fixture, link, registerParty } from './fixture.js';

const BUYER = 'verify-globex';
const PARTNER = 'verify-acme';
const ISSUER = 'verify-zoll';

/**
 * The validator's page: nobody signed in, a Statement of Application downloaded by the buyer
 * (with an exempt partner whose exemption is in the ledger) is verified in the browser — its
 * signature, the exemption's inclusion in the signed tree head, the head's consistency with
 * the last one this browser saw — then a copy with one byte changed, then an entry by number.
 */
export function scenarios(): void {
  describe('Validator', () => {
    it('verifies a statement, refuses a tampered copy, and proves an entry by its number, with nobody signed in', async () => {
      // Through the API: an issuer attests the partner's AEO authorisation covering its
      // functions; the buyer's default policy recognises it, so the partner is exempt (4.4(c)).
      await registerParty(BUYER, ['buyer'], 'Verify Retail AG');
      await registerParty(PARTNER, ['partner'], 'Verify Logistics GmbH');
      await registerParty(ISSUER, ['issuer'], 'Hauptzollamt Verify', { issuerOf: ['eu-aeo-aeos'] });
      await link(BUYER, PARTNER);
      const now = Date.now();
      const attestation = await signCompact(
        JSON.stringify({
          schemeId: 'eu-aeo-aeos',
          number: 'DE AEOS 9001/27',
          holder: PARTNER,
          issuer: ISSUER,
          scope: { functions: ['warehouse'] },
          validFrom: new Date(now - 100 * 86_400_000).toISOString(),
          issuedAt: new Date(now - 1000).toISOString(),
        }),
        fixture.keys.get(ISSUER)!,
        ATTESTATION_TYP,
      );
      await eventually(async () => {
        const res = await fixture.call(ISSUER, 'POST', '/v1/certificates/attestations', attestation);
        expect(res.status, await res.clone().text()).toBeLessThan(300);
      });
      // The exemption reaches the ledger, and a signed head covers its entry.
      let seq = -1;
      await eventually(async () => {
        const { entries } = (await (
          await fixture.ok(BUYER, 'GET', `/v1/ledger/entries?buyerId=${BUYER}&partnerId=${PARTNER}`)
        ).json()) as { entries: { seq: number; entry: string }[] };
        const head = (await (await fixture.ok(BUYER, 'GET', '/v1/ledger/heads/latest')).json()) as {
          treeSize: number;
        };
        expect(entries.map((e) => JSON.parse(e.entry).kind)).toEqual(['exemption-granted']);
        expect(entries[0]!.seq).toBeLessThan(head.treeSize);
        seq = entries[0]!.seq;
      }, 20_000);
      let text = '';
      await eventually(async () => {
        const body = await (await fixture.ok(BUYER, 'GET', '/v1/statement-of-application')).text();
        const statement = JSON.parse(body) as {
          partners: {
            partnerId: string;
            status: string;
            exemption?: { certificates: { certificateId: string }[] };
          }[];
        };
        expect(statement.partners.map((p) => [p.partnerId, p.status])).toEqual([[PARTNER, 'exempt']]);
        text = body;
      });
      const file = join(fixture.dir, 'verify-statement.json');
      writeFileSync(file, text);
      // One byte of the exemption changed: the certificate it rests on.
      const id = (
        JSON.parse(text) as { partners: { exemption: { certificates: { certificateId: string }[] } }[] }
      ).partners[0]!.exemption.certificates[0]!.certificateId;
      const forged = `${id.slice(0, -1)}${id.endsWith('0') ? '1' : '0'}`;
      expect(text.split(id).length).toBe(2);
      const tamperedFile = join(fixture.dir, 'verify-statement-tampered.json');
      writeFileSync(tamperedFile, text.replace(id, forged));

      const w = await fixture.browser.newPage();
      const { page } = w;
      await page.goto(`${fixture.url}/verify`);
      await page.getByRole('heading', { name: 'Verify a statement or a ledger entry' }).waitFor();
      // Nobody is signed in: the way to sign in is offered, no navigation of a session.
      expect(await page.getByRole('link', { name: 'Sign in' }).count()).toBe(1);
      expect(await page.getByText('Nothing verified yet.').count()).toBe(1);

      // 1. The statement as the exchange gave it: three ticks (the first head is remembered).
      await chooseFile(page, 'Statement of Application or ledger entry', file);
      await page.getByRole('button', { name: 'Verify the file' }).click();
      await page
        .getByRole('heading', { name: `Checks of the Statement of Application of ${BUYER}` })
        .waitFor();
      const check = (name: string) =>
        page.locator('.verify-check', { has: page.getByRole('heading', { name }) });
      await check('Passed: The exchange signed this statement').waitFor();
      await check('Passed: Included in the ledger’s signed tree head').waitFor();
      const first = check('First visit: Consistent with the last tree head this browser saw');
      await first.waitFor();
      expect(await first.textContent()).toContain('there is nothing to compare yet');
      expect(await check('Included in the ledger’s signed tree head').textContent()).toContain(
        `Entry ${seq} (exemption-granted, ${PARTNER}) is included`,
      );
      expect(await page.getByText('All checks passed.').count()).toBe(1);
      // The results take the focus, so a screen reader reads them next.
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
              .id,
        ),
      ).toBe('verify-results-title');
      const says = page.getByRole('region', { name: 'What the statement says' });
      expect(await says.textContent()).toContain('Verify Retail AG (verify-globex)');
      expect(await says.getByRole('row', { name: /verify-acme/ }).textContent()).toContain('DE AEOS 9001/27');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-verify.png'), fullPage: true });

      // 2. One byte changed: the signature fails (altered after signing) and the ledger
      // records another certificate for the exemption.
      await chooseFile(page, 'Statement of Application or ledger entry', tamperedFile);
      await page.getByRole('button', { name: 'Verify the file' }).click();
      const signature = check('Failed: The exchange signed this statement');
      await signature.waitFor();
      expect(await signature.textContent()).toMatch(
        /The statement was changed after it was signed: it hashes to sha-256:[0-9a-f]{64}, its signature records sha-256:[0-9a-f]{64}\..*Do not rely on this statement/,
      );
      const inclusion = check('Failed: Included in the ledger’s signed tree head');
      expect(await inclusion.textContent()).toContain(`the statement says 4.4(c) (${forged})`);
      expect(await inclusion.textContent()).toContain('treat the partner as not exempt');
      await check('Passed: Consistent with the last tree head this browser saw').waitFor();
      expect(await page.getByText('Not verified: 2 of the checks failed.').count()).toBe(1);
      expect(await page.getByText('Shown as the file has it: it is not verified.').count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      // 3. A ledger entry saved as the exchange serves it, with one byte changed: its leaf
      // hash, computed here, is not the one the signed head commits to at that position.
      const view = (await (await fixture.ok(BUYER, 'GET', `/v1/ledger/entries/${seq}`)).json()) as {
        entry: string;
      };
      expect(view.entry).toContain('"kind":"exemption-granted"');
      const entryFile = join(fixture.dir, 'verify-entry-tampered.json');
      writeFileSync(
        entryFile,
        JSON.stringify({ ...view, entry: view.entry.replace('"4.4(c)"', '"4.4(a)"') }),
      );
      await chooseFile(page, 'Statement of Application or ledger entry', entryFile);
      await page.getByRole('button', { name: 'Verify the file' }).click();
      await page.getByRole('heading', { name: `Checks of ledger entry ${seq}` }).waitFor();
      await check('Passed: The ledger signed its tree head').waitFor();
      const entryInclusion = check('Failed: Included in the ledger’s signed tree head');
      await entryInclusion.waitFor();
      expect(await entryInclusion.textContent()).toContain(
        `Entry ${seq} as in this file is not the one the ledger recorded at that position: the proof does not lead to the root hash.`,
      );
      expect(await axeViolations(page)).toEqual([]);

      // 4. An entry by its number: its inclusion proof checked here against the signed head.
      await page.getByLabel('Entry number').fill('one');
      await page.getByRole('button', { name: 'Verify the entry' }).click();
      const error = page.locator('#f-seq-error');
      await error.waitFor();
      expect(await error.textContent()).toBe('An entry number is a whole number, 0 or more.');
      expect(await page.getByLabel('Entry number').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Entry number').fill(String(seq));
      await page.getByRole('button', { name: 'Verify the entry' }).click();
      await page.getByRole('heading', { name: `Checks of ledger entry ${seq}` }).waitFor();
      await check('Passed: The ledger signed its tree head').waitFor();
      await check('Passed: Included in the ledger’s signed tree head').waitFor();
      await check('Passed: Consistent with the last tree head this browser saw').waitFor();
      expect(await page.getByRole('region', { name: 'What the entry says' }).textContent()).toContain(
        PARTNER,
      );
      expect(await axeViolations(page)).toEqual([]);
      expect(w.problems).toEqual([]);
      await page.close();
    });
  });
}
