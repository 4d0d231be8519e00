import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.js';

describe('the event-stream parser', () => {
  it('dispatches an event at the blank line, with its type, data and id', () => {
    const parser = new SseParser();
    expect(parser.feed('retry: 2000\n\nid: 1:a\nevent: alert\ndata: {"x":1}\n')).toEqual([]);
    expect(parser.feed('\n')).toEqual([{ type: 'alert', data: '{"x":1}', lastEventId: '1:a' }]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('1:a');
  });

  it('joins data lines, keeps the id across events and defaults the type to message', () => {
    const parser = new SseParser('0:start');
    expect(parser.feed('data: one\ndata:two\n\ndata\n\n')).toEqual([
      { type: 'message', data: 'one\ntwo', lastEventId: '0:start' },
      { type: 'message', data: '', lastEventId: '0:start' },
    ]);
  });

  it('reads lines split across chunks, CRLF and CR line endings included', () => {
    const parser = new SseParser();
    const text = 'id: 7\r\nevent: alert\r\ndata: {"a":\r\n\r\nevent: alert\rdata: b\r\r';
    const events = [...text].flatMap((c) => parser.feed(c));
    expect(events).toEqual([
      { type: 'alert', data: '{"a":', lastEventId: '7' },
      { type: 'alert', data: 'b', lastEventId: '7' },
    ]);
  });

  it('ignores comments, unknown fields, events without data, ids with NUL and retry that is not a number', () => {
    const parser = new SseParser();
    expect(
      parser.feed(': keep-alive\n\nfoo: bar\nevent: alert\n\nretry: soon\nid: a\0b\ndata: x\n\n'),
    ).toEqual([{ type: 'message', data: 'x', lastEventId: '' }]);
    expect(parser.retryMs).toBeUndefined();
  });

  it('keeps an unterminated last line until its end arrives', () => {
    const parser = new SseParser();
    expect(parser.feed('data: par')).toEqual([]);
    expect(parser.feed('tial\n\n')).toEqual([{ type: 'message', data: 'partial', lastEventId: '' }]);
  });
});
