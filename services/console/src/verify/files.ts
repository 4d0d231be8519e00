import canonicalize from 'canonicalize';
import type { Schemas } from '../api.js';
import { ConsoleError } from '../keys.js';

/** A Statement of Application. */
export type Statement = Schemas['StatementOfApplication'];
export type StatementPartner = Schemas['StatementOfApplication_partner'];

/** What the validator was given: a Statement of Application, or one ledger entry (its exact text). */
export type VerifyInput =
  | { kind: 'statement'; statement: Statement }
  | { kind: 'entry'; seq: number; entry: string };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Reads a chosen file: a Statement of Application as `GET /v1/statement-of-application`
 * gives it (JSON, or the printable page, which embeds the same signed JSON), or a ledger entry
 * as `GET /v1/ledger/entries/{seq}` gives it (`seq`, `entry`: the exact text hashed) or its
 * content alone (hashed as its RFC 8785 canonical JSON, as the ledger does).
 */
export function readVerifyFile(text: string): VerifyInput {
  const embedded = /<script type="application\/json" id="pdx-statement">([^<]*)<\/script>/.exec(text);
  let value: unknown;
  try {
    value = JSON.parse(embedded ? embedded[1]! : text);
  } catch {
    throw new ConsoleError(embedded ? 'verify.file.page' : 'verify.file.json');
  }
  if (!isObject(value)) throw new ConsoleError('verify.file.unknown');
  if (value.type === 'pdx.statement-of-application')
    return { kind: 'statement', statement: value as Statement };
  const seq = value.seq;
  if (typeof value.entry === 'string' && Number.isSafeInteger(seq) && (seq as number) >= 0)
    return { kind: 'entry', seq: seq as number, entry: value.entry };
  if (typeof value.kind === 'string' && value.kind.startsWith('exemption-') && Number.isSafeInteger(seq))
    return { kind: 'entry', seq: seq as number, entry: canonicalize(value) ?? '' };
  throw new ConsoleError('verify.file.unknown');
}
