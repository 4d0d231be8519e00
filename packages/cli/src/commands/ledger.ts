import { existsSync, writeFileSync } from 'node:fs';
import type { PublicJwk } from '@pdx/contracts';
import {
  baseUrl,
  CliError,
  type Command,
  DEFAULT_URL,
  type Io,
  problemText,
  request,
  str,
  withWait,
} from '../command.js';
import { exchangeFailed } from '../errors.js';
import { ledgerKeys, monitorStep, readJson, readState, verifyInclusionFiles, writeState } from '../ledger.js';

/** GET a JSON document from the exchange, without credentials (the ledger is public by default). */
async function getJson(io: Io, base: string, path: string): Promise<Record<string, unknown>> {
  const { ok, body } = await request(io, `${base.replace(/\/$/, '')}${path}`, {});
  if (!ok) throw exchangeFailed(`${path}: ${problemText(body)}`);
  return body;
}

const ledgerUrlOption = {
  url: { type: 'string', help: `exchange base URL; default $PDX_URL or ${DEFAULT_URL}` },
} satisfies Command['options'];

/** `pdx ledger …`: the exemption ledger's key, an entry's inclusion, and following its heads (ledger.ts checks). */
export const ledgerCommands: Record<string, Command> = {
  'ledger key': {
    summary: "Fetch the ledger's public key once, to keep and trust in later checks.",
    usage: 'pdx ledger key [--url <exchange>] [--out <ledger.jwk.json>] [--force]',
    positionals: { min: 0, max: 0 },
    options: {
      ...ledgerUrlOption,
      out: { type: 'string', short: 'o', help: 'write the public JWK here (default: stdout)' },
      force: { type: 'boolean', help: 'replace an existing file' },
    },
    notes: [
      'The key comes from the exchange you are checking: compare its note verifier key (printed)',
      'with the one its operator publishes elsewhere before you rely on it.',
    ],
    async run(v, io) {
      const out = str(v, 'out');
      // A trusted key is not replaced by accident: that would silence every later check.
      if (out && existsSync(out) && !v.force) throw new CliError(`${out} exists; pass --force to replace it`);
      const info = await getJson(io, baseUrl(io, v), '/v1/ledger');
      const key = info.publicKey as PublicJwk | undefined;
      if (!key || typeof key !== 'object') throw exchangeFailed('the exchange published no ledger key');
      const text = `${JSON.stringify(key, null, 2)}\n`;
      if (out) writeFileSync(out, text);
      else io.out(text);
      io.err(
        `ledger ${String(info.origin)}: key ${String(key.kid)}${out ? ` written to ${out}` : ''}; note verifier key ${String(info.verifierKey)}\n`,
      );
    },
  },
  'ledger verify-inclusion': {
    summary:
      'Check offline that an entry is in the exemption ledger: entry + proof + signed head + ledger key.',
    usage:
      'pdx ledger verify-inclusion --key <ledger public key (JWK or JWKS)> (--seq <n> [--url <exchange>] [--save <folder>] [--wait] | --entry <file> --proof <file> --head <file>)',
    positionals: { min: 0, max: 0 },
    options: {
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      seq: { type: 'string', help: 'fetch this entry, its proof and the latest head from the exchange' },
      ...ledgerUrlOption,
      save: {
        type: 'string',
        help: 'with --seq: also write entry.json, proof.json, head.json to this folder',
      },
      entry: { type: 'string', help: 'the entry, as GET /v1/ledger/entries/{seq} serves it' },
      proof: { type: 'string', help: 'the inclusion proof, as GET /v1/ledger/proofs/inclusion serves it' },
      head: { type: 'string', help: 'the signed tree head, as GET /v1/ledger/heads/… serves it' },
      wait: {
        type: 'boolean',
        help: 'with --seq: wait until a signed head covers the entry (heads follow appends by about a second)',
      },
      timeout: { type: 'string', help: 'with --wait: seconds to keep trying (default 10)' },
    },
    async run(v, io) {
      const keys = ledgerKeys(v.key as string | undefined);
      let entry: Record<string, unknown>;
      let proof: Record<string, unknown>;
      let head: Record<string, unknown>;
      const files = (['entry', 'proof', 'head'] as const).filter((f) => v[f] !== undefined);
      if (v.seq !== undefined || v.url !== undefined) {
        if (files.length > 0)
          throw new CliError('give either --seq (to fetch) or --entry/--proof/--head files', 2);
        const seq = Number(v.seq);
        if (v.seq === undefined || !Number.isSafeInteger(seq) || seq < 0)
          throw new CliError('--seq <position> (0, 1, …) names the entry to fetch', 2);
        const base = baseUrl(io, v);
        const latest = await withWait(
          io,
          v,
          () => request(io, `${base}/v1/ledger/heads/latest`, {}),
          (a) => a.status === 404 || (a.ok && !(Number(a.body.treeSize) > seq)),
        );
        if (!latest.ok) throw exchangeFailed(`/v1/ledger/heads/latest: ${problemText(latest.body)}`);
        head = latest.body;
        if (!(Number(head.treeSize) > seq)) {
          throw new CliError(
            `the latest signed head covers entries 0 to ${Number(head.treeSize) - 1}, not ${seq}${v.wait ? '' : ' (--wait waits for the next head)'}`,
          );
        }
        entry = await getJson(io, base, `/v1/ledger/entries/${seq}`);
        proof = await getJson(
          io,
          base,
          `/v1/ledger/proofs/inclusion?seq=${seq}&treeSize=${String(head.treeSize)}`,
        );
        const save = str(v, 'save');
        if (save) {
          for (const [name, doc] of Object.entries({ entry, proof, head }))
            writeFileSync(`${save}/${name}.json`, `${JSON.stringify(doc, null, 2)}\n`);
        }
      } else {
        const file = async (what: 'entry' | 'proof' | 'head') =>
          readJson(v[what] as string | undefined, what, ' (or --seq to fetch them)') as Record<
            string,
            unknown
          >;
        entry = await file('entry');
        proof = await file('proof');
        head = await file('head');
      }
      io.out(`${await verifyInclusionFiles(entry, proof, head, keys)}\n`);
    },
  },
  'ledger monitor': {
    summary:
      'Follow the ledger: every new signed head must extend the last one verified (RFC 9162 consistency).',
    usage:
      'pdx ledger monitor --key <ledger public key> --state <file> [--url <exchange>] [--interval <seconds>] [--once]',
    positionals: { min: 0, max: 0 },
    options: {
      ...ledgerUrlOption,
      key: { type: 'string', short: 'k', help: "the ledger's public key you trust (JWK or JWKS file)" },
      state: { type: 'string', help: 'file keeping the last verified head (created on first use)' },
      interval: { type: 'string', help: 'seconds between checks (default 60)' },
      once: { type: 'boolean', help: 'check once and exit (without it, it follows until stopped)' },
    },
    notes: [
      'It runs until stopped (Ctrl-C) and exits 1 with INCONSISTENT: … when a head does not extend the last.',
    ],
    async run(v, io) {
      const keys = ledgerKeys(v.key as string | undefined);
      const stateFile = v.state as string | undefined;
      if (!stateFile) throw new CliError('--state <file> is required', 2);
      const base = baseUrl(io, v);
      const interval = Number(v.interval ?? 60);
      if (!(interval > 0)) throw new CliError('--interval is a number of seconds', 2);
      const sleep = io.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      for (;;) {
        const latest = await getJson(io, base, '/v1/ledger/heads/latest');
        const { state, message } = await monitorStep(readState(stateFile), latest, keys, (first, second) =>
          getJson(io, base, `/v1/ledger/proofs/consistency?first=${first}&second=${second}`),
        );
        writeState(stateFile, state);
        io.out(`${new Date(io.now()).toISOString()} ${message}\n`);
        if (v.once) return;
        await sleep(interval * 1000);
      }
    },
  },
};
