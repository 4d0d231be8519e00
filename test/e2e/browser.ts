import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (`apt-get install chromium`; .ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here; under CI=true a missing browser fails them instead. */
export const browserAvailable = existsSync(CHROMIUM);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A page watched for what goes wrong in it. */
export interface WatchedPage {
  page: Page;
  /** What went wrong in the page: console errors, page errors, failed requests, other origins. */
  problems: string[];
  /** A request expected to fail (a refused sign-in): its next failure is not a problem. */
  expectFailure(method: string, path: string, status: number): void;
}

export interface Browser extends WatchedPage {
  context: BrowserContext;
  /** Another page in the same browser (another person at another desk: its own session), watched. */
  newPage(): Promise<WatchedPage>;
  close(): Promise<void>;
}

/** Chromium on a fresh profile, its first page watched (see watch). */
export async function openBrowser(origin: string): Promise<Browser> {
  if (!browserAvailable) throw new Error(`no browser at ${CHROMIUM}: apt-get install -y chromium`);
  const profile = await mkdtemp(join(tmpdir(), 'pdx-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  const first = watch(context.pages()[0] ?? (await context.newPage()), origin);
  return {
    context,
    ...first,
    newPage: async () => watch(await context.newPage(), origin),
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Watches `page`: every console error, uncaught error, failed request (network error or HTTP
 * status 400 and above) and request to an origin other than `origin` is recorded in `problems`.
 */
function watch(page: Page, origin: string): WatchedPage {
  const problems: string[] = [];
  const expected: string[] = [];
  const allowed = (method: string, url: string, status: number) => {
    const key = `${method} ${new URL(url).pathname} ${status}`;
    const at = expected.indexOf(key);
    if (at === -1) return false;
    expected.splice(at, 1);
    return true;
  };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser's own line for an HTTP error answer is judged with its response below.
    if (/Failed to load resource: the server responded with a status of/.test(message.text())) return;
    problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    const url = request.url();
    if (url.startsWith('data:') || url.startsWith('blob:')) return;
    if (new URL(url).origin !== origin)
      problems.push(`request to another origin: ${request.method()} ${url}`);
  });
  page.on('requestfailed', (request) => {
    // A stream closed by the page itself (leaving the alerts page) is not a failure: an
    // EventSource, or the alert stream the console reads with fetch (to send its token).
    if (
      request.failure()?.errorText === 'net::ERR_ABORTED' &&
      (request.resourceType() === 'eventsource' ||
        (request.resourceType() === 'fetch' && new URL(request.url()).pathname === '/v1/alerts/stream'))
    )
      return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${request.failure()?.errorText}`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status < 400) return;
    const request = response.request();
    if (!allowed(request.method(), response.url(), status))
      problems.push(`request answered ${status}: ${request.method()} ${response.url()}`);
  });
  return {
    page,
    problems,
    expectFailure: (method, path, status) => void expected.push(`${method} ${path} ${status}`),
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * The serious and critical accessibility violations axe-core finds in the page (WCAG 2.0–2.2
 * A and AA rules), each as one line. axe is evaluated through the DevTools protocol, so the
 * page's CSP stays as it is served.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = (await page.evaluate(async () => {
    const inPage = globalThis as unknown as {
      axe: { run(ctx: unknown, opts: unknown): Promise<unknown> };
      document: unknown;
    };
    const result = (await inPage.axe.run(inPage.document, {
      runOnly: {
        type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'],
      },
    })) as { violations: unknown[] };
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`,
    );
}
