import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection, not the message, so a
 * proxy never passes them on. `proxy-connection` is the non-standard alias old clients send;
 * `proxy-authorization` and `proxy-authenticate` belong to the hop between a client and a
 * proxy (RFC 9110 §11.7), here the gateway, which authenticates no one.
 */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'http2-settings',
]);

type Headers = IncomingHttpHeaders | OutgoingHttpHeaders;

/** Pure: the header names the message's own Connection header declares hop-by-hop. */
function connectionOptions(headers: Headers): Set<string> {
  const value = headers.connection;
  const text = Array.isArray(value) ? value.join(',') : typeof value === 'string' ? value : '';
  return new Set(
    text
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Pure: the end-to-end headers of a message, without every hop-by-hop header. */
export function endToEndHeaders<H extends Headers>(headers: H): H {
  const named = connectionOptions(headers);
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (hopByHop.has(lower) || named.has(lower) || value === undefined) continue;
    kept[name] = value;
  }
  return kept as H;
}

export interface ClientHop {
  /** The address the request came from (the socket's peer). */
  remoteAddress: string | undefined;
  /** `http` or `https`: how the client reached the gateway. */
  protocol: string;
  /** The Host the client asked for. */
  host: string | undefined;
}

/**
 * Pure: the headers a request goes upstream with: its end-to-end headers (Authorization,
 * Last-Event-ID, Content-Type… untouched) plus the de facto X-Forwarded-* trio. The client's
 * address is appended to any X-Forwarded-For it sent, as proxies conventionally do, so that
 * the list stays in hop order; a service must not authorise on it (a client writes what it
 * likes in front). Proto and Host are what this gateway saw: it is the edge.
 */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders, hop: ClientHop): IncomingHttpHeaders {
  const out = endToEndHeaders(headers);
  const previous = out['x-forwarded-for'];
  const chain = [
    ...(Array.isArray(previous) ? previous : previous ? [previous] : []),
    ...(hop.remoteAddress ? [hop.remoteAddress] : []),
  ];
  if (chain.length > 0) out['x-forwarded-for'] = chain.join(', ');
  out['x-forwarded-proto'] = hop.protocol;
  if (hop.host) out['x-forwarded-host'] = hop.host;
  else delete out['x-forwarded-host'];
  return out;
}
