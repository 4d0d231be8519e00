import {
  type IncomingMessage,
  maxHeaderSize as nodeMaxHeaderSize,
  type Server,
  STATUS_CODES,
} from 'node:http';
import type { Duplex } from 'node:stream';
import type { Problem } from '@pdx/contracts';
import type { Logger } from '@pdx/runtime';
import { PROBLEM_CONTENT_TYPE, problem } from './problem.js';

/** What Node's HTTP parser attaches to a `clientError` (llhttp's code and reason). */
interface ParserError extends Error {
  code?: string;
  reason?: string;
}

/**
 * The problem for an error Node's HTTP server raises before any request exists: the parser
 * refused the bytes (llhttp `HPE_*`), or the headers did not arrive in time. Node and
 * fastify would answer these with an empty body or plain JSON; pdx answers every 4xx as
 * RFC 9457 problem+json with a catalogued code.
 */
export function clientErrorProblem(error: ParserError, maxHeaderBytes: number): Problem {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      // llhttp counts the request line with the headers, so a long URL lands here too.
      return problem(
        'PDX_HEADERS_TOO_LARGE',
        `the request line and headers are larger than ${maxHeaderBytes} bytes`,
      );
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem('PDX_PAYLOAD_TOO_LARGE', 'the chunk extensions of the body are too large');
    case 'HPE_PAUSED_H2_UPGRADE':
      return problem('PDX_HTTP_MALFORMED', 'HTTP/2 with prior knowledge is not served here; use HTTP/1.1');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem('PDX_REQUEST_TIMEOUT', 'the request headers or body did not arrive in time');
    default:
      return problem('PDX_HTTP_MALFORMED', `the request is not well-formed HTTP/1.1: ${parserReason(error)}`);
  }
}

/** llhttp's reason ("Invalid method encountered"), never a stack or internal state. */
function parserReason(error: ParserError): string {
  const reason = (error.reason ?? error.message ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 200);
  return reason === '' ? String(error.code ?? 'unreadable request') : reason;
}

/** A complete HTTP/1.1 response carrying `body`, for sockets no ServerResponse owns. */
function rawResponse(body: Problem): string {
  const json = JSON.stringify(body);
  return (
    `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status] ?? ''}\r\n` +
    `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
    `Content-Length: ${Buffer.byteLength(json)}\r\n` +
    'Connection: close\r\n\r\n' +
    json
  );
}

/**
 * Fastify's `clientErrorHandler`. Like Node's own handler, it writes a response only when
 * no response of an earlier request on the socket has started (a half-written response
 * followed by another would corrupt the peer's view of the stream), then closes the socket:
 * after a parser error the rest of the stream cannot be trusted (request smuggling).
 */
export function answerClientError(
  logger: Logger,
  maxHeaderBytes: number,
): (error: ParserError, socket: Duplex) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const body = clientErrorProblem(error, maxHeaderBytes);
    logger.info({ code: body.code, parser: error.code }, 'request refused before routing');
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent) socket.write(rawResponse(body));
    socket.destroy();
  };
}

/**
 * Answers, as problems, what Node's HTTP server would otherwise answer itself with an empty
 * body: an `Expect` other than 100-continue (417) and CONNECT (Node just drops the socket).
 */
export function answerServerLevelRequests(server: Server): void {
  server.on('checkExpectation', (request: IncomingMessage, response) => {
    const expectation = String(request.headers.expect).slice(0, 100);
    sendRaw(
      response,
      problem('PDX_EXPECTATION_FAILED', `cannot meet the expectation "${expectation}"; only 100-continue`, {
        instance: request.url ?? '',
      }),
    );
  });
  server.on('connect', (request: IncomingMessage, socket: Duplex) => {
    const body = problem(
      'PDX_ROUTE_NOT_FOUND',
      `no route CONNECT ${String(request.url).slice(0, 200)}: the exchange is not a proxy`,
    );
    if (socket.writable) socket.write(rawResponse(body));
    socket.destroy();
  });
}

function sendRaw(
  response: {
    writeHead(status: number, headers: Record<string, string | number>): unknown;
    end(body: string): unknown;
  },
  body: Problem,
): void {
  const json = JSON.stringify(body);
  response.writeHead(body.status, {
    'content-type': PROBLEM_CONTENT_TYPE,
    'content-length': Buffer.byteLength(json),
  });
  response.end(json);
}

/** RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header. */
export function missingHost(request: IncomingMessage): Problem | undefined {
  if (request.httpVersion !== '1.1' || request.headers.host !== undefined) return undefined;
  return problem('PDX_HTTP_MALFORMED', 'an HTTP/1.1 request needs a Host header (RFC 9112 section 3.2)', {
    instance: request.url ?? '',
  });
}

/** Node's limit on the request line plus headers, unless the server sets its own. */
export const defaultMaxHeaderBytes = nodeMaxHeaderSize;
