import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey } from '@pdx/crypto';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../browser.js';
import { chooseFile, eventually, fixture, registerParty, signIn } from './fixture.js';

/**
 * The operator registers an issuer from the party form (a private key picked by mistake is
 * refused in the browser, an unknown scheme by the exchange, each next to its field); the
 * issuer attests a certificate signed in the browser, finds it in its list, suspends and
 * reinstates it; then adds a staff member's sign-in key on its keys page and revokes it.
 */
export function scenarios(): void {
  describe('Issuer and operator', () => {
    it('registers an issuer, which attests, suspends and reinstates a certificate and adds a staff key', async () => {
      const keysDir = join(fixture.dir, 'keys');
      const file = (name: string, value: unknown) => {
        const path = join(keysDir, name);
        writeFileSync(path, JSON.stringify(value), { mode: 0o600 });
        return path;
      };
      const operatorKeyFile = file('issuer-scenario-operator.key.json', fixture.keys.get('operator'));
      const issuerKey = await generateSigningKey('EdDSA', 'issuer-zoll-1');
      const issuerPrivate = file('issuer-zoll.key.json', issuerKey.privateJwk);
      const issuerPublic = file('issuer-zoll.jwks.json', { keys: [issuerKey.publicJwk] });
      await registerParty('issuer-acme', ['partner'], 'ACME Warehousing GmbH');

      // ── The operator registers the issuer from the form. ──
      const ops = await fixture.browser.newPage();
      const { page } = ops;
      await signIn(ops, 'operator', operatorKeyFile);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Parties' }).click();
      await page.getByRole('heading', { name: 'Parties', exact: true }).waitFor();
      await page.getByLabel('Party id').fill('issuer-zoll');
      await page.getByLabel('Legal name').fill('Hauptzollamt Hamburg (issuer scenario)');
      await page.getByLabel('Country').fill('DE');
      await page.getByLabel('Issuer', { exact: true }).check();
      await page.getByLabel('Schemes it attests').fill('eu-aeo-aeof, xx-no-such-scheme');
      await page.getByLabel('Identifiers (optional)').fill('EORI DE987654321098765');
      // A private key picked by mistake: refused next to the field, nothing sent.
      await chooseFile(page, 'Public key file', issuerPrivate);
      const keyError = page.locator('#f-jwks-error');
      await keyError.waitFor();
      expect(await keyError.textContent()).toMatch(/holds a private key: it was not sent/);
      expect(await page.getByLabel('Public key file').getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('button', { name: 'Register the party' }).click();
      expect(await keyError.textContent()).toMatch(/private key/);
      // The public JWKS; the exchange refuses the unknown scheme, next to the schemes.
      await chooseFile(page, 'Public key file', issuerPublic);
      await page.getByText('Public keys read: issuer-zoll-1').waitFor();
      ops.expectFailure('POST', '/v1/parties', 400);
      await page.getByRole('button', { name: 'Register the party' }).click();
      const schemeError = page.locator('#f-issuerOf-error');
      await schemeError.waitFor();
      expect(await schemeError.textContent()).toMatch(/xx-no-such-scheme/);
      expect(await page.getByLabel('Schemes it attests').getAttribute('aria-invalid')).toBe('true');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByLabel('Schemes it attests').fill('eu-aeo-aeof');
      await page.getByRole('button', { name: 'Register the party' }).click();
      await page.getByRole('heading', { name: 'issuer-zoll is registered' }).waitFor();
      expect(await page.locator('#party-done').textContent()).toContain('eu-aeo-aeof');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(fixture.docs, 'console-parties.png'), fullPage: true });
      expect(ops.problems).toEqual([]);
      await page.close();
      fixture.keys.set('issuer-zoll', issuerKey.privateJwk);

      // ── The issuer attests a certificate, signed in its browser. ──
      const w = await fixture.browser.newPage();
      const p = w.page;
      await eventually(async () =>
        expect((await fixture.call('issuer-zoll', 'GET', '/v1/parties/issuer-zoll')).status).toBe(200),
      );
      await signIn(w, 'issuer-zoll', issuerPrivate);
      expect(await p.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
        'Attested certificates',
        'Attest a certificate',
        'Sign-in keys',
        'Verify',
      ]);
      await p.getByRole('heading', { name: 'Nothing attested yet' }).waitFor();
      expect(await axeViolations(p)).toEqual([]);
      await p
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Attest a certificate' })
        .click();
      await p.getByRole('heading', { name: 'Attest a certificate', exact: true }).waitFor();
      expect(await p.getByLabel('Scheme', { exact: true }).inputValue()).toBe('eu-aeo-aeof');
      await p.getByLabel('Holder').fill('issuer-acme');
      await p.getByLabel('Certificate number').fill('AEOF-77001');
      await p.getByLabel('Warehouse').check();
      await p.getByLabel('Forwarder').check();
      await p.getByLabel('Sites (optional)').fill('DEHAM');
      await p.getByLabel('Valid from').fill('2026-01-15');
      await chooseFile(p, 'Signing key file', issuerPrivate);
      // A number the scheme does not use: the report and the message by the number.
      w.expectFailure('POST', '/v1/certificates/attestations', 400);
      await p.getByRole('button', { name: 'Sign and submit' }).click();
      const numberError = p.locator('#f-number-error');
      await numberError.waitFor();
      expect(await p.getByLabel('Certificate number').getAttribute('aria-invalid')).toBe('true');
      expect(await p.locator('.report').textContent()).toMatch(/Signature: passed.*Content: failed/);
      await p.getByLabel('Certificate number').fill('DE AEOF 77001/26');
      await p.getByRole('button', { name: 'Sign and submit' }).click();
      await p.getByRole('heading', { name: 'Attested', exact: true }).waitFor();
      expect(await p.locator('#attest-done').textContent()).toMatch(
        /certificate DE AEOF 77001\/26 \(eu-aeo-aeof\) of issuer-acme.*active/,
      );
      expect(await p.locator('.report').count()).toBe(0);
      expect(await axeViolations(p)).toEqual([]);
      await p.screenshot({ path: join(fixture.docs, 'console-attest.png'), fullPage: true });

      // ── Its list: suspend, reinstate; a withdrawal asks first. ──
      await eventually(async () => {
        const res = await fixture.call('issuer-zoll', 'GET', '/v1/certificates?issuer=issuer-zoll');
        expect(((await res.json()) as { certificates: unknown[] }).certificates).toHaveLength(1);
      });
      await p.getByRole('link', { name: 'See the certificates you attested' }).click();
      const row = p.getByRole('row', { name: /DE AEOF 77001\/26/ });
      await row.waitFor();
      expect(await row.locator('.status').textContent()).toBe('active');
      expect(await row.textContent()).toMatch(/issuer-acme.*open-ended/);
      await p.getByRole('button', { name: 'Suspend DE AEOF 77001/26' }).click();
      await p.getByLabel('Reason').fill('Audit found the site access control unmanned');
      await p.getByRole('button', { name: 'Suspend', exact: true }).click();
      await p.getByText('DE AEOF 77001/26 is suspended.').waitFor();
      expect(await row.locator('.status').textContent()).toBe('suspended');
      // The filter by state, kept in the address.
      await p.getByLabel('State', { exact: true }).selectOption('suspended');
      await eventually(async () => expect(new URL(p.url()).search).toBe('?state=suspended'));
      await eventually(async () => expect(await row.locator('.status').textContent()).toBe('suspended'));
      await p.getByLabel('State', { exact: true }).selectOption('');
      await p.getByRole('button', { name: 'Reinstate DE AEOF 77001/26' }).click();
      await p.getByLabel('Reason').fill('Access control staffed again, checked on site');
      await p.getByRole('button', { name: 'Reinstate', exact: true }).click();
      await p.getByText('DE AEOF 77001/26 is reinstated.').waitFor();
      expect(await row.locator('.status').textContent()).toBe('active');
      await p.getByRole('button', { name: 'Withdraw DE AEOF 77001/26' }).click();
      await p.getByLabel('Reason').fill('Not decided yet');
      await p.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await p.getByText(/A withdrawal is final/).waitFor();
      expect(await axeViolations(p)).toEqual([]);
      await p.getByRole('button', { name: 'No, keep it' }).click();
      await p.getByRole('button', { name: 'Cancel' }).click();
      expect(await row.locator('.status').textContent()).toBe('active');
      expect(await axeViolations(p)).toEqual([]);
      await p.screenshot({ path: join(fixture.docs, 'console-attested.png'), fullPage: true });

      // ── A staff member's sign-in key, added on the keys page, then revoked. ──
      const staff = await generateSigningKey('ES256', 'issuer-zoll-anna');
      const staffPublic = file('issuer-zoll-anna.jwks.json', {
        keys: [{ ...staff.publicJwk, purposes: ['authentication'] }],
      });
      await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sign-in keys' }).click();
      await p.getByRole('heading', { name: 'Sign-in keys', exact: true }).waitFor();
      await p.getByRole('row', { name: /issuer-zoll-1/ }).waitFor();
      await chooseFile(p, 'Public key file', staffPublic);
      expect(await p.getByRole('checkbox', { name: 'sign-in' }).isChecked()).toBe(true);
      expect(await p.getByRole('checkbox', { name: 'signing', exact: true }).isChecked()).toBe(false);
      await p.getByRole('button', { name: 'Add the key' }).click();
      await p.getByText(/issuer-zoll-anna is added/).waitFor();
      const staffRow = p.getByRole('row', { name: /issuer-zoll-anna/ });
      expect(await staffRow.textContent()).toMatch(/ES256.*sign-in.*in use/);
      expect(await axeViolations(p)).toEqual([]);
      await p.screenshot({ path: join(fixture.docs, 'console-keys.png'), fullPage: true });
      await p.getByRole('button', { name: 'Revoke issuer-zoll-anna' }).click();
      await p.getByLabel('Reason').selectOption('retired');
      await p.locator('section.change').getByRole('button', { name: 'Revoke issuer-zoll-anna' }).click();
      await p.getByText('issuer-zoll-anna is revoked.').waitFor();
      expect(await staffRow.locator('.status').textContent()).toBe('revoked');
      await eventually(async () => {
        const now = (await (await fixture.call('issuer-zoll', 'GET', '/v1/parties/issuer-zoll')).json()) as {
          keys: { jwk: { kid: string } }[];
        };
        expect(now.keys.find((k) => k.jwk.kid === 'issuer-zoll-anna')).toMatchObject({
          purposes: ['authentication'],
          revocationReason: 'retired',
        });
      });
      expect(await axeViolations(p)).toEqual([]);
      expect(w.problems).toEqual([]);
      await p.close();
    });
  });
}
