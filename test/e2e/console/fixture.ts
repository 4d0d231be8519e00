import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PublicJwk } from '@pdx/contracts';
import { generateSigningKey, type PrivateJwk } from '@pdx/crypto';
import { expect } from 'vitest';
import type { Browser, WatchedPage } from '../browser.js';

/**
 * What every scenario of the console's browser suite shares (test/e2e/console.int.test.ts
 * fills it in its beforeAll): one exchange as `npm start` runs it on a fresh data folder, one
 * Chromium, the operator, and the ways to set up parties through the API.
 */
export interface ConsoleFixture {
  /** The exchange's base URL (`http://127.0.0.1:PORT`). */
  url: string;
  /** A scratch folder of the suite (key files, CSV files). */
  dir: string;
  /** Where the screenshots go (docs/). */
  docs: string;
  browser: Browser;
  /** The private key of each registered party (its organisation key) and of the operator. */
  keys: Map<string, PrivateJwk>;
  /** An API call as `who` (a party id or 'operator'), with its access token. */
  call(
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** The same, expecting success (below 300): the response. */
  ok(
    who: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

export const fixture = {} as ConsoleFixture;

export interface RegisteredParty {
  partyId: string;
  privateJwk: PrivateJwk;
  publicJwk: PublicJwk;
  /** The key file (the private JWK), as a person picks it in the file chooser. */
  keyFile: string;
}

/** Registers a party with one organisation key (signing and authentication); writes its key file. */
export async function registerParty(
  partyId: string,
  roles: readonly ('buyer' | 'partner' | 'issuer')[],
  legalName = partyId,
  extra: Record<string, unknown> = {},
): Promise<RegisteredParty> {
  const key = await generateSigningKey('EdDSA', `${partyId}-1`);
  fixture.keys.set(partyId, key.privateJwk);
  await fixture.ok('operator', 'POST', '/v1/parties', {
    partyId,
    legalName,
    country: 'DE',
    roles,
    jwks: { keys: [key.publicJwk] },
    ...extra,
  });
  const keyFile = join(fixture.dir, 'keys', `${partyId}.key.json`);
  writeFileSync(keyFile, JSON.stringify(key.privateJwk), { mode: 0o600 });
  return { partyId, ...key, keyFile };
}

/** Picks `file` through the page's file chooser opened by the control labelled `label`, as a person does. */
export async function chooseFile(
  page: WatchedPage['page'],
  label: string | RegExp,
  file: string,
): Promise<void> {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByLabel(label).click()]);
  await chooser.setFiles(file);
}

/**
 * Opens the console in `page` and signs in as `partyId` with its key file; waits for the first
 * page. `beforeSubmit` runs in the test once the form is filled, just before the button is pressed.
 */
export async function signIn(
  watched: WatchedPage,
  partyId: string,
  keyFile: string,
  { beforeSubmit }: { beforeSubmit?: () => Promise<void> } = {},
): Promise<void> {
  const { page } = watched;
  await page.goto(`${fixture.url}/`);
  await page.getByRole('heading', { name: 'Sign in', exact: true }).waitFor();
  await page.getByLabel('Party id').fill(partyId);
  await chooseFile(page, 'Key file', keyFile);
  await beforeSubmit?.();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('nav[aria-label="Main"]').waitFor();
}

/** Retries `check` while the exchange applies what was just recorded (10 s at most). */
export async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Offers a link from `buyerId` to `partnerId` and has the partner accept it. */
export async function link(
  buyerId: string,
  partnerId: string,
  scopeOfService: Record<string, unknown> = { functions: ['warehouse'], locations: ['DEHAM'] },
): Promise<void> {
  await fixture.ok(buyerId, 'POST', '/v1/relationships', { partnerId, scopeOfService });
  await eventually(async () =>
    expect(
      (await fixture.call(partnerId, 'POST', `/v1/relationships/${buyerId}~${partnerId}/acceptance`, {}))
        .status,
    ).toBeLessThan(300),
  );
}

/** The ISO 28000 / 28001 clauses of the areas a warehouse's declaration states (A, C, E, F, H). */
export const isoRefs = {
  A: { iso28000: ['4.4.2'], iso28001: ['5.3.1'] },
  C: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  E: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  F: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
  H: { iso28000: ['4.4.6', '4.4.7', '4.5.3'], iso28001: ['5.7'] },
} as const;
