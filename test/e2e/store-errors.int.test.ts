import type { ServiceDefinition } from '@pdx/host';
import { createHost, type Host } from '@pdx/host';
import { silentLogger } from '@pdx/runtime';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { embeddedTarget, kafkaMongoTarget, type SliceTarget } from './targets.js';

interface Member {
  id: string;
  email: string;
}

/** A service whose route writes to its own store under a unique index, as intake's do. */
const members: ServiceDefinition = {
  name: 'members',
  async create({ store }) {
    const collection = await store.collection<Member>({
      name: 'members',
      indexes: [{ fields: ['email'], unique: true }],
    });
    return {
      name: 'members',
      routes: async (app) => {
        // A probe of the store's errors, not of authentication: open to anyone.
        app.post('/v1/members', { config: { access: 'public' } }, async (request, reply) => {
          await collection.insert(request.body as Member);
          return reply.code(201).send(request.body);
        });
        app.get(
          '/v1/members/:id',
          { config: { access: 'public' } },
          async (request) => (await collection.get((request.params as { id: string }).id)) ?? null,
        );
      },
      start: async () => {},
      stop: async () => {},
    };
  },
};

const targets: [string, () => Promise<SliceTarget>][] = [
  ['embedded', embeddedTarget],
  ['Kafka + MongoDB', () => kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['members'])],
];

describe.each(targets)('a store error answers with its catalogued problem (%s)', (_name, makeTarget) => {
  let host: Host | undefined;
  let target: SliceTarget | undefined;
  afterEach(async () => {
    await host?.stop();
    await target?.cleanup?.();
  });

  it('PDX_STORE_DUPLICATE: a second record under a taken unique key is a 409 problem, not a masked 500', async () => {
    target = await makeTarget();
    host = await createHost({
      name: 'members',
      services: [members],
      env: target.env,
      logger: silentLogger(),
    });
    const post = (body: Member) => host!.http.inject({ method: 'POST', url: '/v1/members', payload: body });

    expect((await post({ id: 'm-1', email: 'ops@acme.example' })).statusCode).toBe(201);
    const res = await post({ id: 'm-2', email: 'ops@acme.example' });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toEqual({
      type: 'urn:pdx:problem:store-duplicate',
      title: expect.stringContaining('unique key'),
      status: 409,
      detail: expect.stringContaining('unique key'),
      code: 'PDX_STORE_DUPLICATE',
      instance: '/v1/members',
    });
    // What the store tells its operators (collection, index fields) is not for the client.
    expect(res.body).not.toMatch(/members on|\(email\)/);
    expect((await host.http.inject({ method: 'GET', url: '/v1/members/m-2' })).json()).toBeNull();
  });
});
