/**
 * The README's shell blocks as a test runs them: every ```sh block in order, except those
 * marked `<!-- not run: reason -->` on a line of their own just before the fence. Lines of
 * the form `# → …` say what the command before them shows: `# → 201 Created` an HTTP status
 * line (as `curl -i` and `pdx call` print it), `# → some text` text of the output.
 */
export interface ReadmeBlock {
  /** 1-based line of the block's first line of code in README.md. */
  line: number;
  code: string;
  /** Why the block is not run, if it is marked so. */
  notRun?: string;
  /** The HTTP statuses the block shows, in order. */
  statuses: number[];
  /** Text the output shows, in order. */
  texts: string[];
}

const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;
const CLAIM = /^\s*#\s*→\s*(.+?)\s*$/;
const STATUS_CLAIM = /^(\d{3})(?:\s|$)/;
/** A status line: `HTTP/1.1 201 Created` (curl -i) or `HTTP 201 Created` (pdx call). */
const STATUS_LINE = /^HTTP(?:\/[\d.]+)? (\d{3})\b/;

export function readmeBlocks(readme: string): ReadmeBlock[] {
  const lines = readme.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```sh') continue;
    let before = i - 1;
    while (before >= 0 && lines[before]!.trim() === '') before--;
    const notRun = before >= 0 ? NOT_RUN.exec(lines[before]!.trim())?.[1] : undefined;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    const code = lines.slice(start, end);
    const claims = code.flatMap((l) => {
      const m = CLAIM.exec(l);
      return m ? [m[1]!] : [];
    });
    blocks.push({
      line: start + 1,
      code: `${code.join('\n')}\n`,
      ...(notRun ? { notRun } : {}),
      statuses: claims.flatMap((c) => {
        const m = STATUS_CLAIM.exec(c);
        return m ? [Number(m[1])] : [];
      }),
      texts: claims.filter((c) => !STATUS_CLAIM.test(c)),
    });
    i = end;
  }
  return blocks;
}

/** What is wrong with a block's output, against what the README says it shows; [] if nothing. */
export function checkOutput(block: ReadmeBlock, output: string): string[] {
  const problems: string[] = [];
  const shown = output
    .split('\n')
    .flatMap((l) => {
      const m = STATUS_LINE.exec(l.trim());
      return m ? [Number(m[1])] : [];
    })
    .join(', ');
  if (shown !== block.statuses.join(', ')) {
    problems.push(
      `the README says the statuses are [${block.statuses.join(', ')}], the output shows [${shown}]`,
    );
  }
  let from = 0;
  for (const text of block.texts) {
    const at = output.indexOf(text, from);
    if (at < 0) {
      problems.push(
        `the README says the output shows ${JSON.stringify(text)} (after the previous claim); it does not`,
      );
    } else {
      from = at + text.length;
    }
  }
  return problems;
}
