import { describe, expect, it } from 'vitest';
import { clientErrorProblem } from './client-errors.js';

const parserError = (code: string, reason?: string) =>
  Object.assign(new Error('Parse Error'), { code, reason });

describe('problems for errors of the HTTP parser', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'PDX_HEADERS_TOO_LARGE', 'larger than 8192 bytes'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 413, 'PDX_PAYLOAD_TOO_LARGE', 'chunk extensions'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'PDX_REQUEST_TIMEOUT', 'in time'],
    ['HPE_PAUSED_H2_UPGRADE', 400, 'PDX_HTTP_MALFORMED', 'HTTP/2'],
    ['HPE_INVALID_METHOD', 400, 'PDX_HTTP_MALFORMED', 'Invalid method encountered'],
  ])('%s → %i %s', (code, status, pdxCode, detail) => {
    const body = clientErrorProblem(parserError(code, 'Invalid method encountered'), 8192);
    expect(body).toMatchObject({ status, code: pdxCode });
    expect(body.detail).toContain(detail);
  });

  it('names the parser reason without control characters, and the code when there is none', () => {
    expect(clientErrorProblem(parserError('HPE_X', 'bad\r\nthing\u0000'), 1).detail).toBe(
      'the request is not well-formed HTTP/1.1: badthing',
    );
    expect(clientErrorProblem(Object.assign(new Error(''), { code: 'HPE_Y' }), 1).detail).toBe(
      'the request is not well-formed HTTP/1.1: HPE_Y',
    );
  });
});
