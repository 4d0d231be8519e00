import { createPublicKey, verify } from 'node:crypto';
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
  /** The Standard Webhooks headers. */
  webhook: StandardWebhookHeaders;
}

export interface StandardWebhookHeaders {
  id: string;
  timestamp: string;
  signature: string;
}

export type StandardWebhookVerdict =
  | 'valid'
  | 'missing headers'
  | 'timestamp too old'
  | 'timestamp too new'
  | 'no matching signature';

/**
 * A Standard Webhooks verifier written from the specification alone (standard-webhooks
 * 1.0.0, "Signature scheme", "Webhook headers", "Verifying signatures"), with node:crypto and
 * nothing of pdx: the receiver's tolerance for the timestamp (5 minutes, as the reference
 * libraries), the space-separated list of `version,signature`, `v1a` = Ed25519 over
 * `${webhook-id}.${webhook-timestamp}.${body}`, the key as `whpk_` + base64 of the raw key.
 * (The reference `standardwebhooks` npm package, 1.1.1, verifies only the symmetric `v1`.)
 */
export function verifyStandardWebhook(
  body: string,
  headers: StandardWebhookHeaders,
  whpk: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): StandardWebhookVerdict {
  if (!headers.id || !headers.timestamp || !headers.signature) return 'missing headers';
  if (!/^\d+$/.test(headers.timestamp)) return 'missing headers';
  const timestamp = Number(headers.timestamp);
  if (nowSeconds - timestamp > toleranceSeconds) return 'timestamp too old';
  if (timestamp > nowSeconds + toleranceSeconds) return 'timestamp too new';
  const key = createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(whpk.replace(/^whpk_/, ''), 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
  const content = Buffer.from(`${headers.id}.${headers.timestamp}.${body}`, 'utf8');
  for (const versioned of headers.signature.split(' ')) {
    const [version, signature] = versioned.split(',');
    if (version !== 'v1a' || !signature) continue;
    if (verify(null, content, key, Buffer.from(signature, 'base64'))) return 'valid';
  }
  return 'no matching signature';
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
        webhook: {
          id: String(req.headers['webhook-id'] ?? ''),
          timestamp: String(req.headers['webhook-timestamp'] ?? ''),
          signature: String(req.headers['webhook-signature'] ?? ''),
        },
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
