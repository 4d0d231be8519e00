import { writeFileSync } from 'node:fs';
import type { CertificateView, PartnerDecision, ReviewTaskView } from '@pdx/contracts';
import {
  type Answer,
  CliError,
  type Command,
  call,
  callOptions,
  expectOk,
  notThereYet,
  type OptionValues,
  query,
  str,
  table,
  waitOptions,
  withWait,
} from './command.js';

const jsonOption = {
  json: { type: 'boolean', help: 'print the answer as the exchange sent it (JSON)' },
} as const;

/** `2027-03-01T00:00:00.000Z` → `2027-03-01`: the day is what a reader plans with. */
const day = (iso: string | undefined) => (iso ? iso.slice(0, 10) : '');

/** What a partner's decision leaves the buyer to do, in one short cell. */
function owed(d: PartnerDecision): string {
  const task = d.reviewTask;
  if (task) return `${task.method} due ${day(task.dueAt)} (${task.reason})`;
  const first = d.obligations[0];
  if (!first) return '—';
  return `${first.code}${first.dueAt ? ` due ${day(first.dueAt)}` : ''}${d.obligations.length > 1 ? ` (+${d.obligations.length - 1})` : ''}`;
}

/** Prints the raw JSON with --json; otherwise lets the caller print a summary. */
function printJson(io: Parameters<Command['run']>[1], v: OptionValues, answer: Answer): boolean {
  if (!v.json) return false;
  io.out(answer.text.endsWith('\n') ? answer.text : `${answer.text}\n`);
  return true;
}

/** A buyer's read: --wait retries while the read side has not caught up (404, link unknown, or `empty`). */
async function read(
  io: Parameters<Command['run']>[1],
  v: OptionValues,
  path: string,
  empty: (body: Record<string, unknown>) => boolean = () => false,
): Promise<Answer> {
  return expectOk(
    await withWait(
      io,
      v,
      () => call(io, v, 'GET', path),
      (a) => notThereYet(a) || (a.ok && empty(a.body)),
    ),
  );
}

function dueBefore(v: OptionValues): string | undefined {
  const value = str(v, 'due-before');
  if (value !== undefined && !/^\d{4}-\d{2}-\d{2}(?:T.+)?$/.test(value)) {
    throw new CliError(`--due-before is a date (2027-03-01) or a date-time, not ${value}`, 2);
  }
  return value;
}

const buyerNote = [
  'Run as the buyer: --key and --iss, or PDX_KEY and PDX_ISS in the environment.',
  'A plain date in --due-before is the beginning of that day (UTC): 2027-03-01 lists what falls due by 28 February.',
];

export const buyerCommands: Record<string, Command> = {
  partners: {
    summary: "A buyer's business partners with their status under ISO 28001 4.2–4.5 and what is owed.",
    usage:
      'pdx partners [--status <status>] [--function <function>] [--country <CC>] [--due-before <date>] [--search <text>] [--json]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      status: { type: 'string', help: 'only this status (exempt, covered, credible, pending-review, …)' },
      function: {
        type: 'string',
        help: 'only partners performing this function (warehouse, road-carrier, …)',
      },
      country: { type: 'string', help: 'only partners established in this country (ISO 3166 alpha-2)' },
      'due-before': { type: 'string', help: 'only partners with something due before this date' },
      search: {
        type: 'string',
        help: 'only partners whose name, id, identifier or certificate number has this',
      },
      ...jsonOption,
      ...waitOptions,
    },
    notes: [...buyerNote, 'With --wait it retries until at least one partner matches.'],
    async run(v, io) {
      // The exchange answers a page at a time: every page, 200 partners each, in its order.
      const filter = {
        status: str(v, 'status'),
        function: str(v, 'function'),
        country: str(v, 'country'),
        dueBefore: dueBefore(v),
        q: str(v, 'search'),
        limit: '200',
      };
      const answer = await read(
        io,
        v,
        `/v1/partner-status${query(filter)}`,
        (b) => (b.partners as unknown[] | undefined)?.length === 0,
      );
      const partners = [...(answer.body.partners as PartnerDecision[])];
      const parties = { ...(answer.body.parties as Record<string, unknown> | undefined) };
      for (let next = answer.body.next as string | undefined; next !== undefined; ) {
        const page = await read(io, v, `/v1/partner-status${query({ ...filter, cursor: next })}`);
        partners.push(...(page.body.partners as PartnerDecision[]));
        Object.assign(parties, page.body.parties);
        next = page.body.next as string | undefined;
      }
      const { next: _next, ...whole } = answer.body;
      if (printJson(io, v, { ...answer, body: { ...whole, partners, parties } })) return;
      if (partners.length === 0) {
        io.err('no partners match\n');
        return;
      }
      io.out(
        table([
          ['PARTNER', 'STATUS', 'CLAUSES', 'RISK', 'OWED'],
          ...partners.map((d) => [d.partnerId, d.status, d.clauses.join(' '), d.riskTier ?? '—', owed(d)]),
        ]),
      );
    },
  },
  partner: {
    summary:
      "One partner's status with its basis, what is owed and when it changes; --history for every change.",
    usage: 'pdx partner <partner id> [--history] [--json]',
    positionals: { min: 1, max: 1 },
    options: {
      ...callOptions,
      history: { type: 'boolean', help: 'every change of the decision, with its cause' },
      ...jsonOption,
      ...waitOptions,
    },
    notes: buyerNote.slice(0, 1),
    async run(v, io, positionals) {
      const id = encodeURIComponent(positionals[0]!);
      if (v.history) {
        const answer = await read(io, v, `/v1/partner-status/${id}/history`);
        if (printJson(io, v, answer)) return;
        const changes = answer.body.changes as {
          version: number;
          previousStatus?: string;
          cause: { kind: string; eventType?: string };
          decision: PartnerDecision;
        }[];
        io.out(
          table([
            ['VERSION', 'EVALUATED', 'STATUS', 'CLAUSES', 'CAUSE'],
            ...changes.map((c) => [
              String(c.version),
              c.decision.evaluatedAt,
              `${c.previousStatus ? `${c.previousStatus} → ` : ''}${c.decision.status}`,
              c.decision.clauses.join(' '),
              c.cause.eventType?.replace(/^org\.pdx\./, '') ?? c.cause.kind,
            ]),
          ]),
        );
        return;
      }
      const answer = await read(io, v, `/v1/partner-status/${id}`);
      if (printJson(io, v, answer)) return;
      const d = answer.body.decision as PartnerDecision;
      const lines = [
        ['partner', d.partnerId],
        ['status', `${d.status} (ISO 28001 ${d.clauses.join(', ')})`],
        ['risk tier', d.riskTier ?? '—'],
        ...d.basis.map((b) => [
          'basis',
          `${b.clause} ${b.kind} ${b.certificateId ?? b.declarationId ?? b.reviewId ?? ''}${b.functions ? ` (${b.functions.join(', ')})` : ''}`.trim(),
        ]),
        ...d.functions.map((f) => ['function', `${f.function}: ${f.status} (${f.clause})`]),
        ...(d.obligations.length === 0
          ? [['owed', 'nothing']]
          : d.obligations.map((o) => ['owed', `${o.detail}${o.dueAt ? `, due ${day(o.dueAt)}` : ''}`])),
        ...(d.reviewTask
          ? [
              [
                'review',
                `${d.reviewTask.method} of ${d.reviewTask.declarationId} due ${day(d.reviewTask.dueAt)} (${d.reviewTask.reason})`,
              ],
            ]
          : []),
        ['changes by itself', d.nextChangeAt ?? 'no'],
        ['decided', `${d.evaluatedAt} under policy version ${d.policyVersion}`],
      ];
      io.out(table(lines.map(([k, value]) => [`${k}:`, value ?? ''])));
    },
  },
  'review-tasks': {
    summary: 'The security reviews (ISO 28001 4.5) a buyer owes, soonest due first; or the closed ones.',
    usage: 'pdx review-tasks [--state open|closed] [--partner <partner id>] [--due-before <date>] [--json]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      state: { type: 'string', help: 'open (default) or closed' },
      partner: { type: 'string', help: 'only the reviews of this partner' },
      'due-before': { type: 'string', help: 'only reviews due before this date' },
      ...jsonOption,
      ...waitOptions,
    },
    notes: [...buyerNote, 'With --wait it retries until at least one review task matches.'],
    async run(v, io) {
      const state = str(v, 'state');
      if (state !== undefined && state !== 'open' && state !== 'closed')
        throw new CliError(`--state is open or closed, not ${state}`, 2);
      const path = `/v1/review-tasks${query({ state, partnerId: str(v, 'partner'), dueBefore: dueBefore(v) })}`;
      const answer = await read(io, v, path, (b) => (b.tasks as unknown[] | undefined)?.length === 0);
      if (printJson(io, v, answer)) return;
      const tasks = answer.body.tasks as {
        partnerId: string;
        task: ReviewTaskView;
        state: string;
        overdue?: boolean;
        closedAt?: string;
        outcome?: string;
      }[];
      if (tasks.length === 0) {
        io.err(`no ${state ?? 'open'} review tasks\n`);
        return;
      }
      io.out(
        table([
          ['DUE', 'PARTNER', 'METHOD', 'WHY', 'DECLARATION', state === 'closed' ? 'ENDED' : 'STATE'],
          ...tasks.map((t) => [
            day(t.task.dueAt),
            t.partnerId,
            t.task.method,
            t.task.reason,
            t.task.declarationId,
            t.state === 'closed'
              ? `${t.outcome ?? 'closed'} ${day(t.closedAt)}`
              : t.overdue
                ? 'OVERDUE'
                : 'open',
          ]),
        ]),
      );
    },
  },
  statement: {
    summary: "Save the buyer's Statement of Application (ISO 28001 4.1), JSON or printable HTML, as signed.",
    usage: 'pdx statement [--format json|html] [--out <file>]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      format: { type: 'string', help: 'json (default) or html; --out soa.html implies html' },
      out: { type: 'string', short: 'o', help: 'write the statement here, byte for byte (default: stdout)' },
    },
    notes: buyerNote.slice(0, 1),
    async run(v, io) {
      const out = str(v, 'out');
      const format = str(v, 'format') ?? (out && /\.html?$/i.test(out) ? 'html' : 'json');
      if (format !== 'json' && format !== 'html')
        throw new CliError(`--format is json or html, not ${format}`, 2);
      const answer = expectOk(await call(io, v, 'GET', `/v1/statement-of-application?format=${format}`));
      if (!out) {
        io.out(answer.text);
        return;
      }
      writeFileSync(out, answer.text);
      const partners =
        format === 'json' ? (answer.body.partners as unknown[] | undefined)?.length : undefined;
      io.err(
        `Statement of Application written to ${out} (${format}${partners === undefined ? '' : `, ${partners} partner${partners === 1 ? '' : 's'}`}; its signature is inside: pdx verify-statement ${out} --url <exchange>)\n`,
      );
    },
  },
  certificates: {
    summary: 'Certificates of your accepted partners (and your own) with their state and days to expiry.',
    usage: 'pdx certificates [--holder <party id>] [--expiring <days>] [--json]',
    positionals: { min: 0, max: 0 },
    options: {
      ...callOptions,
      holder: { type: 'string', help: "only this holder's certificates" },
      expiring: { type: 'string', help: 'only those expiring within this many days (active or suspended)' },
      ...jsonOption,
    },
    notes: ['Open-ended certificates (EU AEO authorisations) never expire: --expiring leaves them out.'],
    async run(v, io) {
      const raw = str(v, 'expiring');
      const within = raw === undefined ? undefined : Number(raw);
      if (within !== undefined && !(Number.isInteger(within) && within >= 0))
        throw new CliError(`--expiring is a whole number of days, not ${raw}`, 2);
      const answer = expectOk(
        await call(io, v, 'GET', `/v1/certificates${query({ holder: str(v, 'holder') })}`),
      );
      let views = answer.body.certificates as CertificateView[];
      if (within !== undefined) {
        views = views.filter(
          (c) =>
            c.daysToExpiry !== undefined &&
            c.daysToExpiry >= 0 &&
            c.daysToExpiry <= within &&
            (c.effectiveState === 'active' || c.effectiveState === 'suspended'),
        );
      }
      if (v.json) {
        io.out(`${JSON.stringify({ certificates: views }, null, 2)}\n`);
        return;
      }
      if (views.length === 0) {
        io.err(within === undefined ? 'no certificates\n' : `no certificate expires within ${within} days\n`);
        return;
      }
      io.out(
        table([
          ['DAYS', 'VALID UNTIL', 'STATE', 'HOLDER', 'SCHEME', 'NUMBER', 'TRUST'],
          ...views.map((c) => [
            c.daysToExpiry === undefined ? '—' : String(c.daysToExpiry),
            day(c.certificate.validUntil) || 'open-ended',
            c.effectiveState,
            c.certificate.holder,
            c.certificate.schemeId,
            c.certificate.number,
            c.certificate.trust,
          ]),
        ]),
      );
    },
  },
};
