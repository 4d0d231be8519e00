/**
 * CSV as RFC 4180 writes it, and as spreadsheets save it: fields separated by commas, rows by
 * CRLF or LF, a field in double quotes may hold commas, line breaks and doubled quotes (`""`);
 * a UTF-8 byte order mark at the start (Excel's "CSV UTF-8") is dropped. Each row keeps the
 * line it starts on, so a person can find it in the file.
 */
export interface CsvRow {
  /** The line of the file the row starts on (1 is the first). */
  line: number;
  cells: string[];
}

/** Why a file is not CSV: a quote opened and never closed, or text after a closing quote. */
export class CsvError extends Error {
  constructor(
    readonly line: number,
    readonly reason: 'unclosed-quote' | 'text-after-quote',
  ) {
    super(`line ${line}: ${reason}`);
  }
}

/** The rows of `text`; blank lines are skipped. */
export function parseCsv(text: string): CsvRow[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: CsvRow[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endRow = () => {
    cells.push(cell);
    if (cells.length > 1 || cells[0]!.trim() !== '') rows.push({ line: rowLine, cells });
    cells = [];
    cell = '';
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '"' && cell.trim() === '') {
      // A quoted field: up to the quote that is not doubled.
      const opened = line;
      cell = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new CsvError(opened, 'unclosed-quote');
        const q = src[i]!;
        if (q === '"') {
          if (src[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        cell += q;
        i++;
      }
      // Only spaces may follow the closing quote before the separator.
      while (src[i] === ' ' || src[i] === '\t') i++;
      if (i < src.length && src[i] !== ',' && src[i] !== '\r' && src[i] !== '\n') {
        throw new CsvError(line, 'text-after-quote');
      }
      continue;
    }
    if (c === ',') {
      cells.push(cell);
      cell = '';
      i++;
    } else if (c === '\r' || c === '\n') {
      endRow();
      i += c === '\r' && src[i + 1] === '\n' ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      cell += c;
      i++;
    }
  }
  if (cell !== '' || cells.length > 0) endRow();
  return rows;
}
