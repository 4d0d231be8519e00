import { cliVersion, closest, commandHelp, commandList, parseCommandArgs } from './args.js';
import { buyerCommands } from './buyer.js';
import { CliError, type Command, DEFAULT_URL, type Io } from './command.js';
import { documentCommands } from './commands/documents.js';
import { exchangeCommands } from './commands/exchange.js';
import { keyCommands } from './commands/keys.js';
import { ledgerCommands } from './commands/ledger.js';
import { verifyStatementCommand } from './verify-statement.js';

export { CliError, type Command, type Io } from './command.js';

/** Every command, in the order `pdx --help` lists them; each module holds its own. */
const commands: Record<string, Command> = {
  ...keyCommands,
  ...exchangeCommands,
  ...documentCommands,
  ...buyerCommands,
  'verify-statement': verifyStatementCommand,
  ...ledgerCommands,
};

const TITLE = 'pdx — the partner declaration exchange, from the command line';

function help(): string {
  return `${commandList(TITLE, 'pdx <command> [options]   (pdx <command> --help for its options)', commands)}
Environment: PDX_URL (the exchange, default ${DEFAULT_URL}), PDX_KEY and PDX_ISS (who calls:
a key file and its party id, instead of --key and --iss), PDX_EXCHANGE_ID (token audience).
pdx --version prints the version. Exit codes: 0 success, 1 failure, 2 usage error.
`;
}

/** Commands named `<group> <sub>` (`ledger verify-inclusion`): `pdx <group> --help` lists them. */
function groupOf(name: string): Record<string, Command> | undefined {
  const members = Object.entries(commands).filter(([c]) => c.startsWith(`${name} `));
  return members.length === 0 ? undefined : Object.fromEntries(members);
}

/** Prints a usage error: what is wrong, then where to look. */
function usageError(io: Io, prefix: string, message: string, hint: string): number {
  io.err(`${prefix}: ${message}\n${hint}\n`);
  return 2;
}

/** Runs one command line; returns the process exit code. */
export async function run(argv: readonly string[], io: Io): Promise<number> {
  const [first, ...others] = argv;
  if (first === undefined) {
    io.out(help());
    return 2;
  }
  if (first === '--version' || first === '-V' || first === 'version') {
    io.out(`pdx ${cliVersion()}\n`);
    return 0;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    const asked = others.join(' ');
    const target = asked ? (commands[asked] ?? groupOf(asked)) : undefined;
    if (asked && !target) return usageError(io, 'pdx help', `no command "${asked}"`, 'pdx --help lists them');
    if (target && 'run' in target) io.out(commandHelp(target as Command));
    else if (target)
      io.out(commandList(`pdx ${asked}: its commands`, `pdx ${asked} <command> [options]`, target));
    else io.out(help());
    return 0;
  }
  // Two-word commands: `pdx ledger verify-inclusion`, `pdx ledger monitor`.
  const group = groupOf(first);
  if (group) {
    const sub = others[0];
    if (sub === undefined || sub.startsWith('-')) {
      const list = commandList(`pdx ${first}: its commands`, `pdx ${first} <command> [options]`, group);
      if (sub === '--help' || sub === '-h') {
        io.out(list);
        return 0;
      }
      io.err(sub === undefined ? list : `pdx ${first}: name a command first\n\n${list}`);
      return 2;
    }
    if (!commands[`${first} ${sub}`]) {
      const hint = closest(
        sub,
        Object.keys(group).map((c) => c.slice(first.length + 1)),
      );
      return usageError(
        io,
        `pdx ${first}`,
        `unknown command "${sub}"${hint ? `: did you mean "${first} ${hint}"?` : ''}`,
        `pdx ${first} --help lists them`,
      );
    }
  }
  const name = group ? `${first} ${others[0]}` : first;
  const rest = group ? others.slice(1) : others;
  const command = commands[name];
  if (!command) {
    const hint = closest(name, Object.keys(commands));
    return usageError(
      io,
      'pdx',
      `unknown command "${name}"${hint ? `: did you mean "${hint}"?` : ''}`,
      'pdx --help lists the commands',
    );
  }
  try {
    const { values, positionals } = parseCommandArgs(name, command, rest);
    if (values.help) {
      io.out(commandHelp(command));
      return 0;
    }
    await command.run(values, io, positionals);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      if (error.exitCode === 2)
        return usageError(io, `pdx ${name}`, error.message, `Usage: ${command.usage}`);
      io.err(`pdx ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.err(`pdx ${name}: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}
