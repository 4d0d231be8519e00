import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { PdxError } from '@pdx/contracts';

export interface WebhookTargetPolicy {
  /** Allow loopback, private, link-local and unique-local addresses (tests, on-premises). */
  allowPrivate: boolean;
  /** When not empty, only these host names (exact, lower case) are allowed. */
  allowedHosts: readonly string[];
}

/** IPv4 ranges no webhook may reach unless allowed: they lead into the exchange's own network. */
const PRIVATE_V4: [number, number][] = [
  [0x00000000, 8], // 0.0.0.0/8 "this network"
  [0x0a000000, 8], // 10/8
  [0x64400000, 10], // 100.64/10 carrier-grade NAT
  [0x7f000000, 8], // 127/8 loopback
  [0xa9fe0000, 16], // 169.254/16 link-local (cloud metadata services)
  [0xac100000, 12], // 172.16/12
  [0xc0a80000, 16], // 192.168/16
  [0xe0000000, 4], // multicast
  [0xf0000000, 4], // reserved, broadcast
];

function v4ToInt(address: string): number {
  return address.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

/** The eight 16-bit groups of an IPv6 address (with an embedded IPv4 tail converted). */
function groupsOf(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const n = v4ToInt(tail[1]!);
    text = `${text.slice(0, -tail[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  if (rest === undefined ? left.length !== 8 : missing < 1) return undefined;
  const groups = [...left, ...Array(rest === undefined ? 0 : missing).fill('0'), ...right].map((g) =>
    Number.parseInt(g, 16),
  );
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}

/** Pure: whether an IP address is loopback, private, link-local, unique-local or unspecified. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const n = v4ToInt(address);
    return PRIVATE_V4.some(([base, bits]) => n >>> (32 - bits) === base >>> (32 - bits));
  }
  const g = groupsOf(address);
  if (!g) return true; // not an address we understand: refuse
  const v4 = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(8)) return true; // ::
  if (zeros(7) && g[7] === 1) return true; // ::1
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (
    (zeros(5) && g[5] === 0xffff) ||
    zeros(6) ||
    (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
  ) {
    return isPrivateAddress(v4());
  }
  return (
    (g[0]! & 0xfe00) === 0xfc00 || // fc00::/7 unique local
    (g[0]! & 0xffc0) === 0xfe80 || // fe80::/10 link-local
    (g[0]! & 0xff00) === 0xff00 // multicast
  );
}

const forbidden = (detail: string) =>
  new PdxError('PDX_WEBHOOK_TARGET_FORBIDDEN', detail, { pointer: '/url' });

/**
 * Pure: a webhook URL is absolute http(s), without credentials, and — by configuration — not
 * aimed at the exchange's own network (server-side request forgery). Host names are checked
 * again, resolved, before every delivery.
 */
export function checkWebhookUrl(raw: string, policy: WebhookTargetPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PdxError('PDX_WEBHOOK_URL_INVALID', 'not an absolute URL', { pointer: '/url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new PdxError('PDX_WEBHOOK_URL_INVALID', `${url.protocol} is not http or https`, {
      pointer: '/url',
    });
  }
  if (url.username || url.password) {
    throw new PdxError('PDX_WEBHOOK_URL_INVALID', 'credentials do not belong in the URL', {
      pointer: '/url',
    });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (policy.allowedHosts.length > 0 && !policy.allowedHosts.includes(host)) {
    throw forbidden(`${host} is not among the allowed webhook hosts (PDX_WEBHOOK_ALLOWED_HOSTS)`);
  }
  if (!policy.allowPrivate) {
    if (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) !== 0 && isPrivateAddress(host))) {
      throw forbidden(`${host} is a loopback, private or link-local address`);
    }
  }
  return url;
}

/** Before a delivery: every address the host resolves to must be allowed too (DNS may have changed). */
export async function checkResolvedTarget(url: URL, policy: WebhookTargetPolicy): Promise<void> {
  if (policy.allowPrivate) return;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) !== 0 ? [{ address: host }] : await lookup(host, { all: true });
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad) throw forbidden(`${host} resolves to ${bad.address}, a loopback, private or link-local address`);
}
