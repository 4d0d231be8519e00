import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CliError, type Command, type OptionValues } from './command.js';

/** The CLI's version: its package's. */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Edit distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate a mistyped word most likely meant: a prefix of it, or within a few edits. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const prefixed = candidates.filter((c) => c.startsWith(word) || word.startsWith(c));
  if (prefixed.length === 1) return prefixed[0];
  let best: { candidate: string; d: number } | undefined;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d <= Math.max(2, Math.floor(word.length / 3)) && (!best || d < best.d)) best = { candidate, d };
  }
  return best?.candidate;
}

/**
 * Parses a command's arguments strictly: an unknown option is a usage error that names the
 * option it most likely meant, a missing option value or a wrong number of positional
 * arguments too. Throws CliError with exit code 2.
 */
export function parseCommandArgs(
  name: string,
  command: Command,
  args: readonly string[],
): { values: OptionValues; positionals: string[] } {
  const names = [...Object.keys(command.options), 'help'];
  const unknown = (option: string, hint: string | undefined): never => {
    throw new CliError(
      `unknown option ${option}${hint ? `: did you mean ${hint}?` : ''} (pdx ${name} --help lists the options)`,
      2,
    );
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') break;
    if (arg.startsWith('--')) {
      const option = arg.slice(2).split('=')[0]!;
      const spec = command.options[option];
      if (!spec && option !== 'help') {
        const hint = closest(option, names);
        unknown(`--${option}`, hint && `--${hint}`);
      }
      if (spec?.type === 'string' && !arg.includes('=')) i++;
    } else if (/^-[^-\d]/.test(arg)) {
      const short = arg[1]!;
      const entry = Object.entries(command.options).find(([, s]) => s.short === short);
      if (!entry && short !== 'h') unknown(`-${short}`, undefined);
      if (entry?.[1].type === 'string' && arg.length === 2) i++;
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        ...Object.fromEntries(
          Object.entries(command.options).map(([o, d]) => [
            o,
            {
              type: d.type,
              ...(d.short ? { short: d.short } : {}),
              ...(d.multiple ? { multiple: true } : {}),
            },
          ]),
        ),
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    if (!String((error as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw error;
    throw new CliError((error as Error).message.replace(/\.$/, ''), 2);
  }
  const values = parsed.values as OptionValues;
  const { positionals } = parsed;
  if (!values.help && command.positionals) {
    const { min, max } = command.positionals;
    if (positionals.length > max) {
      throw new CliError(
        `unexpected argument ${JSON.stringify(positionals[max])} (usage: ${command.usage})`,
        2,
      );
    }
    if (positionals.length < min) throw new CliError(`missing arguments (usage: ${command.usage})`, 2);
  }
  return { values, positionals };
}

/** `pdx <command> --help`. */
export function commandHelp(command: Command): string {
  const entries = Object.entries(command.options).map(([o, d]) => {
    const flag = `${d.short ? `-${d.short}, ` : '    '}--${o}${d.type === 'string' ? ' <value>' : ''}`;
    return [flag, `${d.help}${d.multiple ? ' (repeatable)' : ''}`] as const;
  });
  entries.push(['-h, --help', 'show this help']);
  const width = Math.max(...entries.map(([flag]) => flag.length));
  return [
    command.summary,
    '',
    `Usage: ${command.usage}`,
    '',
    'Options:',
    ...entries.map(([flag, help]) => `  ${flag.padEnd(width)}  ${help}`),
    ...(command.notes && command.notes.length > 0 ? ['', ...command.notes] : []),
    '',
  ].join('\n');
}

/** The list of commands (top level, or of a group such as `ledger`). */
export function commandList(
  title: string,
  usage: string,
  commands: Readonly<Record<string, Command>>,
): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  return [
    title,
    '',
    `Usage: ${usage}`,
    '',
    ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}
