import { describe, expect, it } from 'vitest';
import { ApiError, type TokenSource } from '../api.js';
import { type Alert, AlertStream, reconnectDelayMs, type StreamState } from './alert-stream.js';

const alert = (alertId: string): Alert => ({
  alertId,
  buyerId: 'globex',
  kind: 'suspended',
  certificateId: 'iso-28000~0123456789abcdef0123',
  holder: 'acme',
  schemeId: 'iso-28000',
  number: 'ISO-1',
  occurredAt: '2026-12-01T00:00:00.000Z',
  summary: 'suspended',
  sourceEventId: 'e1',
  createdAt: '2026-12-01T00:00:00.000Z',
  acknowledged: false,
});

/** A response body the test writes to, and can end or break. */
function body() {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start: (c) => {
      controller = c;
    },
  });
  const encoder = new TextEncoder();
  return {
    stream,
    write: (text: string) => controller.enqueue(encoder.encode(text)),
    end: () => controller.close(),
    fail: () => controller.error(new TypeError('network error')),
  };
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** A stream against a scripted fetch and hand-run timers. */
function harness(answers: (() => Response)[]) {
  const requests: { headers: Record<string, string>; signal: AbortSignal }[] = [];
  const timers: { delay: number; run: () => void; cancelled: boolean }[] = [];
  const states: StreamState[] = [];
  const alerts: string[] = [];
  const errors: unknown[] = [];
  let opened = 0;
  let token = 'token-1';
  let renewals = 0;
  const tokens: TokenSource = {
    token: async () => token,
    renew: async () => {
      renewals++;
      token = `token-${renewals + 1}`;
    },
  };
  const stream = new AlertStream({
    tokens,
    onAlert: (a) => alerts.push(a.alertId),
    onState: (s, e) => {
      states.push(s);
      if (e) errors.push(e);
    },
    onOpen: () => opened++,
    fetch: async (_url, init) => {
      requests.push({ headers: init?.headers as Record<string, string>, signal: init!.signal! });
      const answer = answers.shift();
      if (!answer) throw new TypeError('no answer scripted');
      return answer();
    },
    schedule: (delay, run) => {
      const timer = { delay, run, cancelled: false };
      timers.push(timer);
      return () => {
        timer.cancelled = true;
      };
    },
  });
  return {
    stream,
    requests,
    timers,
    states,
    alerts,
    errors,
    opened: () => opened,
    renewals: () => renewals,
    /** Runs the last timer scheduled. */
    fire: async () => {
      timers.at(-1)!.run();
      await flush();
    },
  };
}

const sse = (b: ReturnType<typeof body>) => () =>
  new Response(b.stream, { status: 200, headers: { 'content-type': 'text/event-stream' } });
const problem = (status: number, code: string) => () =>
  new Response(JSON.stringify({ type: 'x', title: 'x', status, code, detail: code }), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  });
const event = (id: string, a: Alert) => `id: ${id}\nevent: alert\ndata: ${JSON.stringify(a)}\n\n`;

describe('the live alert stream', () => {
  it('reads alerts with the access token, and after a drop resumes after the last one received', async () => {
    const first = body();
    const second = body();
    const h = harness([sse(first), sse(second)]);
    h.stream.start();
    await flush();
    expect(h.requests[0]!.headers).toEqual({ authorization: 'Bearer token-1', accept: 'text/event-stream' });
    expect(h.states).toEqual(['connecting', 'live']);
    expect(h.opened()).toBe(1);
    first.write('retry: 1500\n\n: keep-alive\n\n');
    first.write(event('10:a', alert('a')));
    first.write(event('11:b', alert('b')).slice(0, 20));
    await flush();
    expect(h.alerts).toEqual(['a']);
    // The connection drops in the middle of an event: it is not delivered half, and the
    // stream asks again after the server's retry, from the last complete one.
    first.fail();
    await flush();
    expect(h.states.at(-1)).toBe('reconnecting');
    expect(h.timers.map((t) => t.delay)).toEqual([1500]);
    await h.fire();
    expect(h.requests[1]!.headers['last-event-id']).toBe('10:a');
    second.write(event('11:b', alert('b')));
    await flush();
    expect(h.alerts).toEqual(['a', 'b']);
    expect(h.opened()).toBe(2);
    expect(h.stream.lastEventId).toBe('11:b');
    h.stream.close();
  });

  it('waits longer after each failed attempt, up to the cap, and reconnects when the server ends the stream', async () => {
    const ended = body();
    const h = harness([
      sse(ended),
      problem(503, 'PDX_UNAVAILABLE'),
      problem(503, 'PDX_UNAVAILABLE'),
      sse(body()),
    ]);
    h.stream.start();
    await flush();
    ended.end();
    await flush();
    await h.fire();
    await h.fire();
    await h.fire();
    expect(h.timers.map((t) => t.delay)).toEqual([2000, 4000, 8000]);
    expect(h.states.at(-1)).toBe('live');
    expect(reconnectDelayMs(10, 2000, 30_000)).toBe(30_000);
    h.stream.close();
  });

  it('renews an access token refused as expired once, then opens with the new one', async () => {
    const h = harness([problem(401, 'PDX_AUTH_EXPIRED'), sse(body())]);
    h.stream.start();
    await flush();
    expect(h.renewals()).toBe(1);
    expect(h.requests.map((r) => r.headers.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(h.states.at(-1)).toBe('live');
    h.stream.close();
  });

  it('stops on a refusal that waiting does not change, with the problem', async () => {
    const h = harness([problem(401, 'PDX_AUTH_EXPIRED'), problem(401, 'PDX_AUTH_EXPIRED')]);
    h.stream.start();
    await flush();
    expect(h.renewals()).toBe(1);
    expect(h.states.at(-1)).toBe('failed');
    expect((h.errors[0] as ApiError).problem?.code).toBe('PDX_AUTH_EXPIRED');
    const forbidden = harness([problem(403, 'PDX_FORBIDDEN')]);
    forbidden.stream.start();
    await flush();
    expect(forbidden.states).toEqual(['connecting', 'failed']);
    expect(forbidden.errors[0]).toBeInstanceOf(ApiError);
    expect((forbidden.errors[0] as ApiError).status).toBe(403);
    expect(forbidden.timers).toEqual([]);
  });

  it('closing aborts the request and cancels a reconnection', async () => {
    const open = body();
    const h = harness([sse(open), problem(503, 'PDX_UNAVAILABLE')]);
    h.stream.start();
    await flush();
    h.stream.close();
    await flush();
    expect(h.requests[0]!.signal.aborted).toBe(true);
    expect(h.states.at(-1)).toBe('closed');
    expect(h.timers).toEqual([]);

    const later = harness([problem(503, 'PDX_UNAVAILABLE')]);
    later.stream.start();
    await flush();
    later.stream.close();
    expect(later.timers[0]!.cancelled).toBe(true);
    expect(later.requests).toHaveLength(1);
  });
});
