import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  body: string;
  json: {
    type: string;
    deliveryId: string;
    alert?: { kind: string; buyerId: string; number: string };
    alerts?: { kind: string; number: string }[];
  };
  idempotencyKey: string;
  attempt: number;
  signature: string;
}

/**
 * A real HTTP receiver on 127.0.0.1: records every POST it accepts; `failures(path)` says how
 * many times each delivery (idempotency key) to a path is answered 503 first (Infinity: always).
 */
export async function startReceiver(failures: (path: string) => number): Promise<{
  url: (path: string) => string;
  received: Received[];
  close(): Promise<void>;
}> {
  const received: Received[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const path = req.url ?? '/';
      const key = `${path} ${String(req.headers['idempotency-key'])}`;
      const n = (counts.get(key) ?? 0) + 1;
      counts.set(key, n);
      if (n <= failures(path)) {
        res.writeHead(503).end();
        return;
      }
      received.push({
        path,
        body,
        json: JSON.parse(body),
        idempotencyKey: String(req.headers['idempotency-key']),
        attempt: Number(req.headers['pdx-delivery-attempt']),
        signature: String(req.headers['pdx-signature']),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
