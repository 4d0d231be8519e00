import { SchemaRegistry } from '@pdx/contracts';
import { silentLogger } from '@pdx/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from './http-server.js';

const app = createHttpServer({
  logger: silentLogger(),
  registry: new SchemaRegistry(),
  readiness: [],
  bodyLimit: 2048,
});

beforeAll(async () => {
  app.post('/echo', async (request) => request.body);
  app.post(
    '/declarations',
    { bodyLimit: 1536, config: { bodyLimitSetting: 'PDX_DECLARATION_MAX_BYTES' } },
    async (request) => request.body,
  );
  app.post(
    '/fixed',
    { bodyLimit: 1024, config: { bodyLimitSetting: null } },
    async (request) => request.body,
  );
  await app.ready();
});
afterAll(() => app.close());

const post = (url: string, bytes: number) =>
  app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ pad: 'x'.repeat(bytes) }),
  });

describe('413: the body limit and the setting that raises it', () => {
  it('names the shared limit in bytes and KiB and PDX_HTTP_BODY_LIMIT', async () => {
    const res = await post('/echo', 3000);
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({
      code: 'PDX_PAYLOAD_TOO_LARGE',
      detail: 'the request body is larger than the limit of 2048 bytes (2 KiB) set by PDX_HTTP_BODY_LIMIT',
    });
    expect((await post('/echo', 1000)).statusCode).toBe(200);
  });

  it("names a route's own limit and its own setting", async () => {
    const res = await post('/declarations', 2000);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe(
      'the request body is larger than the limit of 1536 bytes (1.5 KiB) set by PDX_DECLARATION_MAX_BYTES',
    );
  });

  it('says when a limit is fixed', async () => {
    const res = await post('/fixed', 1500);
    expect(res.statusCode).toBe(413);
    expect(res.json().detail).toBe(
      'the request body is larger than the limit of 1024 bytes (1 KiB) fixed for this route',
    );
  });
});
