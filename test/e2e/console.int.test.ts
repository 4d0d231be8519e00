import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWorkDir } from '../infra/managed-process.js';
import { accessTokens, viaUrl } from './access-tokens.js';
import { axeViolations, type Browser, browserAvailable, CHROMIUM, openBrowser } from './browser.js';
import { scenarios as buyerInbox } from './console/buyer-inbox.js';
import { scenarios as buyerPolicy } from './console/buyer-policy.js';
import { chooseFile, eventually, fixture } from './console/fixture.js';
import { scenarios as issuer } from './console/issuer.js';
import { scenarios as partner } from './console/partner.js';
import { scenarios as partnerDeclarations } from './console/partner-declarations.js';
import { scenarios as partnersList } from './console/partners-list.js';
import { scenarios as validator } from './console/validator.js';
import { type RunningService, repoRoot, spawnService } from './spawn-service.js';

/**
 * The web console in real headless Chromium against the all-in-one process on a fresh data
 * folder (what `npm start` runs): sign-in here, then each role's scenarios (test/e2e/console/)
 * on the same exchange and browser, each with parties of its own. Every scenario fails on any
 * console error, failed request, request to another origin, or serious/critical axe-core
 * violation. Writes the screenshots under docs/.
 */

// Under CI=true a missing browser fails the suite; elsewhere it is skipped with the reason.
const skip = !browserAvailable && process.env.CI !== 'true';
if (skip) console.warn(`console browser tests skipped: no ${CHROMIUM} (apt-get install -y chromium)`);

const docs = join(repoRoot, 'docs');

describe.skipIf(skip)('the web console in Chromium', () => {
  let dir: string;
  let exchange: RunningService;
  let browser: Browser;
  const keys = new Map<string, PrivateJwk>();
  let staffKeyFile: string;
  let call: typeof fixture.call;

  beforeAll(async () => {
    // The console's build, as `npm start` makes it (skipped when current).
    const { buildConsole } = (await import(join(repoRoot, 'scripts/build-console.mjs'))) as {
      buildConsole(): number;
    };
    expect(buildConsole(), 'the console build failed').toBe(0);
    dir = await makeWorkDir('pdx-console-e2e-');
    const ops = await generateSigningKey('EdDSA', 'ops-1');
    keys.set('operator', ops.privateJwk);
    exchange = await spawnService(join(repoRoot, 'services/standalone/dist/main.js'), {
      PDX_DATA_DIR: join(dir, 'data'),
      HOST: '127.0.0.1',
      PDX_OPERATORS: JSON.stringify([{ id: 'operator', jwks: { keys: [ops.publicJwk] } }]),
    });
    const tokens = accessTokens({
      now: () => Date.now(),
      keyOf: (who) => keys.get(who)!,
      transport: viaUrl(() => exchange.url),
    });
    call = async (who, method, path, body, headers = {}) =>
      fetch(`${exchange.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${await tokens.tokenFor(who)}`,
          ...(body === undefined
            ? {}
            : { 'content-type': typeof body === 'string' ? 'application/jose' : 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
    const ok: typeof fixture.ok = async (who, method, path, body, headers) => {
      const res = await call(who, method, path, body, headers);
      expect(res.status, `${method} ${path} by ${who}: ${await res.clone().text()}`).toBeLessThan(300);
      return res;
    };

    // A buyer and a partner, each with its organisation key; the buyer adds a sign-in key
    // (authentication only) for a member of its staff, as the README says.
    for (const [partyId, roles] of [
      ['globex', ['buyer']],
      ['acme-logistics', ['partner']],
    ] as const) {
      const key = await generateSigningKey('EdDSA', `${partyId}-1`);
      keys.set(partyId, key.privateJwk);
      await ok('operator', 'POST', '/v1/parties', {
        partyId,
        legalName: partyId === 'globex' ? 'Globex Retail AG' : 'ACME Logistics GmbH',
        country: 'DE',
        roles,
        jwks: { keys: [key.publicJwk] },
      });
    }
    const staff = await generateSigningKey('ES256', 'globex-anna');
    await eventually(async () =>
      expect(
        (
          await call('globex', 'POST', '/v1/parties/globex/keys', {
            ...staff.publicJwk,
            purposes: ['authentication'],
          })
        ).status,
      ).toBe(201),
    );
    mkdirSync(join(dir, 'keys'));
    staffKeyFile = join(dir, 'keys', 'globex-anna.key.json');
    writeFileSync(staffKeyFile, JSON.stringify({ ...staff.privateJwk, purposes: ['authentication'] }), {
      mode: 0o600,
    });

    await ok('globex', 'POST', '/v1/relationships', {
      partnerId: 'acme-logistics',
      scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
    });
    await eventually(async () =>
      expect(
        (await call('acme-logistics', 'POST', '/v1/relationships/globex~acme-logistics/acceptance', {}))
          .status,
      ).toBeLessThan(300),
    );
    await eventually(async () => {
      const list = (await (await call('globex', 'GET', '/v1/partner-status')).json()) as {
        partners: { partnerId: string }[];
      };
      expect(list.partners.map((p) => p.partnerId)).toEqual(['acme-logistics']);
    });

    browser = await openBrowser(new URL(exchange.url).origin);
    Object.assign(fixture, { url: exchange.url, dir, docs, browser, keys, call, ok });
  });

  afterAll(async () => {
    await browser?.close();
    if (exchange) {
      exchange.child.kill('SIGTERM');
      await exchange.exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console with its CSP, and the sign-in page passes axe', async () => {
    const { page } = browser;
    const res = await page.goto(`${exchange.url}/`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/default-src 'self'/);
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    // From the keyboard: the first Tab reaches the party id, the next ones the key file and the box.
    await page.keyboard.press('Tab');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('party-id');
    expect(await axeViolations(page)).toEqual([]);
    mkdirSync(docs, { recursive: true });
    await page.screenshot({ path: join(docs, 'console-sign-in.png'), fullPage: true });
    expect(browser.problems).toEqual([]);
  });

  it('speaks German when chosen, keeps the choice across a reload, and English again', async () => {
    const { page } = browser;
    await page.goto(`${exchange.url}/`);
    await page.getByLabel('Language').selectOption('de');
    await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
    expect(await page.getByRole('button', { name: 'Anmelden' }).count()).toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await page.reload();
    await page.getByRole('heading', { name: 'Anmelden', exact: true }).waitFor();
    await page.getByLabel('Sprache').selectOption('en');
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(browser.problems).toEqual([]);
  });

  it('says next to the field when the exchange does not know the party', async () => {
    const { page } = browser;
    browser.expectFailure('POST', '/oauth/token', 401);
    await page.getByLabel('Party id').fill('nobody-here');
    await chooseFile(page, 'Key file', staffKeyFile);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const error = page.locator('#partyId-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/does not know this party: no party or operator "nobody-here"/);
    expect(await page.getByLabel('Party id').getAttribute('aria-invalid')).toBe('true');
    expect(browser.problems).toEqual([]);
  });

  it('signs the buyer in with its key file and lists its partner', async () => {
    const { page } = browser;
    await page.getByLabel('Party id').fill('globex');
    await chooseFile(page, 'Key file', staffKeyFile);
    await page.getByLabel('Remember me on this browser until I sign out').check();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Partners', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/partners');
    expect(await page.locator('.who').textContent()).toBe(
      'Signed in as Globex Retail AG (globex) · Roles: buyer',
    );
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'Partners',
      'Certificates',
      'Alerts',
      'Reviews owed',
      'Invite partners',
      'Recognition policy',
      'Statement of Application',
      'Sign-in keys',
      'Verify',
    ]);
    const row = page.getByRole('row', { name: /acme-logistics/ });
    await row.waitFor();
    expect(await row.locator('.status').textContent()).toBe('declaration required');
    expect(await row.textContent()).toContain('4.2');
    expect(await page.locator('.counts').textContent()).toMatch(/declaration required\s*1/);
    expect(await axeViolations(page)).toEqual([]);
    // From the keyboard, the skip link comes first.
    await page.keyboard.press('Tab');
    expect(
      await page
        .locator('.skip')
        .evaluate(
          (a) =>
            a === (a as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument.activeElement,
        ),
    ).toBe(true);
    // Remembered: a reload of the client route (served the page by the SPA fallback) signs
    // in again with the key kept in IndexedDB, without the file.
    await page.reload();
    await page.getByRole('row', { name: /acme-logistics/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/partners');
    // Signing out forgets it.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
    expect(browser.problems).toEqual([]);
  });

  it('signs a partner in with an Ed25519 key and shows the pages of its role', async () => {
    const { page } = browser;
    const partnerKeyFile = join(dir, 'keys', 'acme.key.json');
    writeFileSync(partnerKeyFile, JSON.stringify(keys.get('acme-logistics')), { mode: 0o600 });
    await page.getByLabel('Party id').fill('acme-logistics');
    await chooseFile(page, 'Key file', partnerKeyFile);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'My buyers', exact: true }).waitFor();
    expect(await page.locator('.who').textContent()).toBe(
      'Signed in as ACME Logistics GmbH (acme-logistics) · Roles: partner',
    );
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents()).toEqual([
      'My buyers',
      'Declarations',
      'Certificates and claims',
      'Sign-in keys',
      'Verify',
    ]);
    // A buyer's page is not a partner's: going there (back/forward in the same session) leads
    // to the partner's own first page, in its place in the history, so that the back button
    // leaves it instead of being sent on again. (A full load would sign out: nothing was
    // remembered.)
    const entries = () =>
      page.evaluate(() => (globalThis as unknown as { history: { length: number } }).history.length);
    const before = await entries();
    await page.evaluate(() => {
      const w = globalThis as unknown as {
        history: { pushState(s: null, t: string, u: string): void };
        dispatchEvent(e: unknown): void;
        PopStateEvent: new (type: string) => unknown;
      };
      w.history.pushState(null, '', '/partners');
      w.dispatchEvent(new w.PopStateEvent('popstate'));
    });
    await page.getByRole('heading', { name: 'My buyers', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/buyers');
    expect(await entries()).toBe(before + 1);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(browser.problems).toEqual([]);
  });

  // Each role's scenarios, in their own files.
  partnersList();
  partner();
  buyerInbox();
  buyerPolicy();
  partnerDeclarations();
  issuer();
  validator();
});
