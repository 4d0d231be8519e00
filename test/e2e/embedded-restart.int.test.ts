import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '@pdx/bus/testing';
import type { PrivateJwk } from '@pdx/crypto';
import { openEmbeddedStore } from '@pdx/store';
import { afterAll, describe, expect, it } from 'vitest';
import { obtainToken, viaUrl } from './access-tokens.js';
import { acme } from './party-slice.js';
import { type RunningService, spawnService } from './spawn-service.js';

describe('npm start (embedded): killed in the middle of a stream, restarted, nothing lost', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pdx-restart-'));
  const running: RunningService[] = [];
  afterAll(() => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const party = (n: number) => ({ ...acme, partyId: `party-${n}`, legalName: `Party ${n}` });
  // `npm start` creates an operator key in its data directory; tokens are signed with it.
  // `npm start` creates an operator key in its data directory: its access tokens, one per process.
  const tokens = new Map<string, Promise<string>>();
  const bearer = async (url: string) => {
    let token = tokens.get(url);
    if (!token) {
      const key = JSON.parse(readFileSync(join(dir, 'operator.key.json'), 'utf8')) as PrivateJwk;
      token = obtainToken(
        viaUrl(() => url),
        'operator',
        key,
      );
      tokens.set(url, token);
    }
    return `Bearer ${await token}`;
  };
  const post = async (url: string, body: unknown) =>
    fetch(`${url}/v1/parties`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(url) },
      body: JSON.stringify(body),
    });

  it('keeps every acknowledged registration and applies each exactly once', async () => {
    const total = 60;
    const first = await spawnService('services/standalone/dist/main.js', { PDX_DATA_DIR: dir });
    running.push(first);
    const acknowledged = new Set<number>();
    // Fire registrations without waiting and kill the process while they are in flight.
    const inFlight = Array.from({ length: total / 2 }, (_, n) =>
      post(first.url, party(n)).then(
        (res) => {
          if (res.status === 201) acknowledged.add(n);
        },
        () => {},
      ),
    );
    await eventually(() => expect(acknowledged.size).toBeGreaterThan(5));
    first.child.kill('SIGKILL');
    await Promise.all(inFlight);
    expect(await first.exited).toBe('SIGKILL');

    const second = await spawnService('services/standalone/dist/main.js', { PDX_DATA_DIR: dir });
    running.push(second);
    // Clients retry what was not acknowledged; acknowledged ones answer 200 (unchanged).
    for (let n = 0; n < total; n++) {
      const res = await post(second.url, party(n));
      expect([200, 201], `party-${n}`).toContain(res.status);
      if (acknowledged.has(n)) expect(res.status, `party-${n} was acknowledged before the crash`).toBe(200);
    }
    await eventually(async () => {
      for (let n = 0; n < total; n++) {
        const res = await fetch(`${second.url}/v1/parties/party-${n}`, {
          headers: { authorization: await bearer(second.url) },
        });
        expect(res.status, `party-${n}`).toBe(200);
      }
    });
    const store = openEmbeddedStore({ dir, database: 'directory' });
    try {
      const applied = await store.collection<{ id: string; subject: string }>({ name: 'applied_events' });
      const rows = await applied.find({});
      expect(rows).toHaveLength(total);
      expect(new Set(rows.map((r) => r.subject)).size).toBe(total);
    } finally {
      await store.close();
    }
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 120_000);
});
