import { describe, expect, it } from 'vitest';
import { CsvError, parseCsv } from './csv.js';

describe('parseCsv', () => {
  it('reads rows separated by LF or CRLF, and a last row without a line break', () => {
    expect(parseCsv('a,b\r\nc,d\ne,f')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['c', 'd'] },
      { line: 3, cells: ['e', 'f'] },
    ]);
  });

  it('drops the byte order mark spreadsheets write, and skips blank lines', () => {
    expect(parseCsv('\uFEFFpartnerId,functions\r\n\r\nacme,warehouse\r\n')).toEqual([
      { line: 1, cells: ['partnerId', 'functions'] },
      { line: 3, cells: ['acme', 'warehouse'] },
    ]);
  });

  it('reads quoted fields with commas, doubled quotes and line breaks, keeping the line a row starts on', () => {
    const rows = parseCsv(
      'id,scope\r\n"acme","warehouse,road-carrier"\r\n"say ""hi""","two\r\nlines"\r\nlast,x',
    );
    expect(rows).toEqual([
      { line: 1, cells: ['id', 'scope'] },
      { line: 2, cells: ['acme', 'warehouse,road-carrier'] },
      { line: 3, cells: ['say "hi"', 'two\r\nlines'] },
      { line: 5, cells: ['last', 'x'] },
    ]);
  });

  it('keeps empty cells', () => {
    expect(parseCsv('a,,c\n,,\n')).toEqual([
      { line: 1, cells: ['a', '', 'c'] },
      { line: 2, cells: ['', '', ''] },
    ]);
  });

  it('refuses a quote never closed, naming the line it opened on', () => {
    const error = (() => {
      try {
        parseCsv('a,b\n"open,c\nd');
      } catch (e) {
        return e as CsvError;
      }
    })();
    expect(error).toBeInstanceOf(CsvError);
    expect(error).toMatchObject({ line: 2, reason: 'unclosed-quote' });
  });

  it('refuses text after a closing quote', () => {
    expect(() => parseCsv('"a"b,c')).toThrow(
      expect.objectContaining({ reason: 'text-after-quote', line: 1 }),
    );
  });
});
