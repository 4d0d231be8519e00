import { type Signal, useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { ApiError, apiGet, apiRequest, type PartnerDecision, type PartyView, type Schemas } from '../api.js';
import { type Errors, Field, FormError, fieldId, inputProps, useForm } from '../components/form.js';
import { sha256Hex } from '../encoding.js';
import { errorText } from '../errors.js';
import { formatDate, formatDateTime, type MessageKey, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import {
  applied,
  areaRows,
  type Certificate,
  type CertificateView,
  type Change,
  causeText,
  certificateRows,
  changeText,
  confirmable,
  decodeJws,
  isoToLocal,
  kidOf,
  lines,
  listWords,
  localToIso,
  newestFirst,
  newRecordId,
  reasons,
  type StatusView,
  summary,
} from '../partner/partner-view.js';
import { statusWord } from '../partners-view.js';
import { onLinkClick } from '../router.js';
import type { Session } from '../session.js';
import { methodWord } from '../vocabulary.js';
import { StatusBadge } from './partners.js';
import '../styles/partner.css';

type DeclarationView = Schemas['DeclarationView'];
type Relationship = Schemas['RelationshipView'];
type Evidence = { name: string; sha256: string };

/** Everything the page shows, read together. */
interface Loaded {
  status: StatusView;
  history: Change[];
  certificates: CertificateView[];
  declaration: DeclarationView | null;
  declarationError: string | null;
  relationship: Relationship | undefined;
  party: PartyView | undefined;
}

/** Which action form is open (one at a time: each names its fields by the request's pointers). */
type Action =
  | { kind: 'review' }
  | { kind: 'incident' }
  | { kind: 'end' }
  | { kind: 'confirm'; certificateId: string };

const POLL_MS = 400;
const POLL_FOR_MS = 20_000;

async function load(session: Session, partnerId: string): Promise<Loaded> {
  const tokens = session.tokens;
  const [status, history, certificates, relationships, party] = await Promise.all([
    apiGet(tokens, '/v1/partner-status/{partnerId}', { path: { partnerId } }),
    apiGet(tokens, '/v1/partner-status/{partnerId}/history', { path: { partnerId } }),
    apiGet(tokens, '/v1/certificates', { query: { holder: partnerId } }),
    apiGet(tokens, '/v1/relationships'),
    apiGet(tokens, '/v1/parties/{partyId}', { path: { partyId: partnerId } }).catch(() => undefined),
  ]);
  let declaration: DeclarationView | null = null;
  let declarationError: string | null = null;
  const declarationId = status.evidence.declaration?.declarationId;
  if (declarationId !== undefined) {
    try {
      declaration = await apiGet(tokens, '/v1/declarations/{issuer}/{declarationId}', {
        path: { issuer: partnerId, declarationId },
      });
    } catch (error) {
      declarationError = errorText(error);
    }
  }
  return {
    status,
    history: newestFirst(history.changes),
    certificates: certificates.certificates,
    declaration,
    declarationError,
    relationship: relationships.relationships.find(
      (r) => r.partnerId === partnerId && r.buyerId === session.partyId,
    ),
    party,
  };
}

/** The buyer's page for one business partner: the decision and why, its evidence, its history, the actions. */
export function PartnerPage({ session, params }: SignedInProps) {
  const partnerId = params.partnerId ?? '';
  const data = useSignal<Loaded | null>(null);
  const error = useSignal<string | null>(null);
  const notLinked = useSignal(false);
  const ended = useSignal<Relationship | null>(null);
  const updating = useSignal(false);
  const notice = useSignal('');
  const action = useSignal<Action | null>(null);
  const alive = useRef(true);

  useEffect(() => {
    alive.current = true;
    data.value = null;
    error.value = null;
    notLinked.value = false;
    load(session, partnerId)
      .then((loaded) => {
        if (alive.current) data.value = loaded;
      })
      .catch((e: unknown) => {
        if (!alive.current) return;
        if (e instanceof ApiError && e.problem?.code === 'PDX_PARTNER_NOT_LINKED') notLinked.value = true;
        else error.value = errorText(e);
      });
    return () => {
      alive.current = false;
    };
  }, [session, partnerId]);

  /**
   * After an action the exchange applies its event asynchronously: polls the status until it
   * shows the change (or `done` says so), then reads the whole page again.
   */
  const refresh = async (done?: (loaded: Loaded) => boolean) => {
    const before = data.value;
    if (!before) return;
    updating.value = true;
    notice.value = '';
    const until = Date.now() + POLL_FOR_MS;
    let changed = false;
    try {
      while (alive.current && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const status = await apiGet(session.tokens, '/v1/partner-status/{partnerId}', {
          path: { partnerId },
        });
        if (applied(before.status, status)) {
          changed = true;
          break;
        }
        if (done) {
          const loaded = await load(session, partnerId);
          if (done(loaded)) {
            changed = true;
            break;
          }
        }
      }
      if (!alive.current) return;
      const loaded = await load(session, partnerId);
      data.value = loaded;
      notice.value = changed
        ? t('partner.updated', { status: statusWord(loaded.status.decision.status) })
        : t('partner.notYet');
    } catch (e) {
      if (alive.current) notice.value = errorText(e);
    } finally {
      updating.value = false;
    }
  };

  const name = data.value?.party?.legalName ?? partnerId;
  return (
    <main id="content" tabIndex={-1} class="partner-page">
      <p class="back">
        <a href="/partners" onClick={onLinkClick}>
          {t('partner.back')}
        </a>
      </p>
      <h1>{t('partner.title', { name })}</h1>
      <p class="live" aria-live="polite">
        {updating.value ? t('partner.updating') : notice.value}
      </p>
      {error.value && (
        <p class="error" role="alert">
          {error.value}
        </p>
      )}
      {ended.value && (
        <p class="ended">
          {t('partner.ended', { id: partnerId, date: formatDate(ended.value.endedAt ?? '') })}
        </p>
      )}
      {notLinked.value && !ended.value && (
        <section class="empty" aria-labelledby="not-linked-title">
          <h2 id="not-linked-title">{t('partner.notLinked.title')}</h2>
          <p>{t('partner.notLinked.body', { id: partnerId })}</p>
        </section>
      )}
      {!error.value && !notLinked.value && !ended.value && data.value === null && (
        <p aria-live="polite">{t('app.loading')}</p>
      )}
      {data.value && !ended.value && (
        <PartnerView
          session={session}
          partnerId={partnerId}
          name={name}
          data={data.value}
          action={action}
          onApplied={refresh}
          onEnded={(r) => {
            ended.value = r;
            action.value = null;
          }}
        />
      )}
    </main>
  );
}

function PartnerView(props: {
  session: Session;
  partnerId: string;
  name: string;
  data: Loaded;
  action: Signal<Action | null>;
  onApplied: (done?: (loaded: Loaded) => boolean) => Promise<void>;
  onEnded: (r: Relationship) => void;
}) {
  const { data, name, partnerId } = props;
  const decision = data.status.decision;
  const cited = data.status.evidence.certificates;
  const rows = certificateRows(cited, data.certificates);
  const declarationId = data.status.evidence.declaration?.declarationId ?? decision.reviewTask?.declarationId;
  const open = props.action.value;
  // Back to the button that opened the form, so keyboard focus is not lost when it closes.
  const close = () => {
    const was = props.action.value;
    props.action.value = null;
    if (was)
      queueMicrotask(() =>
        document
          .getElementById(
            was.kind === 'confirm' ? `action-confirm-${was.certificateId}` : `action-${was.kind}`,
          )
          ?.focus(),
      );
  };
  const after = async (done?: (loaded: Loaded) => boolean) => {
    close();
    await props.onApplied(done);
  };
  const scope = data.relationship?.scopeOfService;
  return (
    <>
      <p class="subtitle">
        {t('partner.subtitle', { id: partnerId })}
        {scope && (
          <>
            {' · '}
            {t('partner.dos.scope', {
              functions: listWords(scope.functions),
              locations:
                scope.locations && scope.locations.length > 0
                  ? t('partner.dos.locations', { locations: listWords(scope.locations) })
                  : '',
            })}
          </>
        )}
      </p>
      <dl class="facts">
        <div>
          <dt>{t('partner.status')}</dt>
          <dd>
            <StatusBadge status={decision.status} />
          </dd>
        </div>
        <div>
          <dt>{t('partner.risk')}</dt>
          <dd>{decision.riskTier ? t(`risk.${decision.riskTier}` as MessageKey) : t('partner.risk.none')}</dd>
        </div>
        <div>
          <dt>{t('partner.evaluated')}</dt>
          <dd>
            <time dateTime={decision.evaluatedAt}>{formatDateTime(decision.evaluatedAt)}</time>
          </dd>
        </div>
      </dl>

      <DecisionSection
        decision={decision}
        name={name}
        certificates={[...cited, ...data.certificates.map((v) => v.certificate)]}
      />

      <section aria-labelledby="actions-title" class="actions">
        <h2 id="actions-title">{t('partner.actions.title')}</h2>
        <p class="hint">{t('partner.actions.intro')}</p>
        <div class="action-buttons">
          <button
            type="button"
            id="action-review"
            aria-expanded={open?.kind === 'review'}
            disabled={declarationId === undefined}
            onClick={() => {
              props.action.value = open?.kind === 'review' ? null : { kind: 'review' };
            }}
          >
            {t('partner.actions.review')}
          </button>
          <button
            type="button"
            id="action-incident"
            aria-expanded={open?.kind === 'incident'}
            onClick={() => {
              props.action.value = open?.kind === 'incident' ? null : { kind: 'incident' };
            }}
          >
            {t('partner.actions.incident')}
          </button>
          <button
            type="button"
            class="danger"
            id="action-end"
            aria-expanded={open?.kind === 'end'}
            disabled={data.relationship?.state !== 'accepted'}
            onClick={() => {
              props.action.value = open?.kind === 'end' ? null : { kind: 'end' };
            }}
          >
            {t('partner.actions.end')}
          </button>
        </div>
        {declarationId === undefined && <p class="hint">{t('partner.actions.noDeclaration')}</p>}
        {open?.kind === 'review' && declarationId !== undefined && (
          <ReviewForm
            session={props.session}
            partnerId={partnerId}
            declarationId={declarationId}
            onCancel={close}
            onDone={() => after()}
          />
        )}
        {open?.kind === 'incident' && (
          <IncidentForm
            session={props.session}
            partnerId={partnerId}
            onCancel={close}
            onDone={() => after()}
          />
        )}
        {open?.kind === 'end' && data.relationship && (
          <EndForm
            session={props.session}
            name={name}
            partnerId={partnerId}
            relationshipId={data.relationship.relationshipId}
            onCancel={close}
            onDone={props.onEnded}
          />
        )}
      </section>

      <section aria-labelledby="evidence-title">
        <h2 id="evidence-title">{t('partner.evidence.title')}</h2>
        <Certificates
          rows={rows}
          buyerId={props.session.partyId}
          action={props.action}
          session={props.session}
          onConfirmed={(certificateId) =>
            after((loaded) =>
              loaded.certificates.some(
                (v) =>
                  v.certificate.certificateId === certificateId &&
                  v.certificate.confirmations.some((c) => c.buyerId === props.session.partyId),
              ),
            )
          }
        />
        <DeclarationSection data={data} decision={decision} />
        <Reviews reviews={data.status.evidence.reviews} />
      </section>

      <History changes={data.history} />
    </>
  );
}

function DecisionSection(props: {
  decision: PartnerDecision;
  name: string;
  certificates: readonly Certificate[];
}) {
  const { decision, name } = props;
  const why = reasons(decision, name, props.certificates);
  return (
    <section aria-labelledby="decision-title">
      <h2 id="decision-title">{t('partner.decision.title')}</h2>
      <p class="summary">{summary(decision, name)}</p>
      {why.length === 0 ? (
        <p>{t('partner.why.none')}</p>
      ) : (
        <ul class="reasons">
          {why.map((r) => (
            <li key={r.text}>{r.text}</li>
          ))}
        </ul>
      )}
      {decision.functions.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t('partner.decision.functions')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('partner.decision.col.function')}</th>
                <th scope="col">{t('partner.decision.col.status')}</th>
                <th scope="col">{t('partner.decision.col.clause')}</th>
                <th scope="col">{t('partner.decision.col.grounds')}</th>
              </tr>
            </thead>
            <tbody>
              {decision.functions.map((f) => (
                <tr key={f.function}>
                  <th scope="row">{f.function}</th>
                  <td>
                    <StatusBadge status={f.status} />
                  </td>
                  <td>{f.clause}</td>
                  <td>{f.certificateId ?? t('partners.none')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3>{t('partner.obligations.title')}</h3>
      {decision.obligations.length === 0 ? (
        <p>{t('partner.obligations.none')}</p>
      ) : (
        <ul class="obligations">
          {decision.obligations.map((o) => (
            <li key={`${o.code}-${o.detail}`}>
              <strong>{t(`obligation.${o.code}` as MessageKey)}</strong> ({o.clause}): {o.detail}
              {' — '}
              {o.dueAt ? (
                <time dateTime={o.dueAt}>{t('partner.obligations.due', { date: formatDate(o.dueAt) })}</time>
              ) : (
                t('partner.obligations.noDue')
              )}
            </li>
          ))}
        </ul>
      )}
      {decision.reviewTask && (
        <p>
          {t('partner.obligations.task', {
            method: methodWord(decision.reviewTask.method),
            declarationId: decision.reviewTask.declarationId,
            tier: t(`risk.${decision.reviewTask.riskTier}` as MessageKey),
            reason: t(`partner.reason.${decision.reviewTask.reason}` as MessageKey),
            date: formatDate(decision.reviewTask.dueAt),
          })}
        </p>
      )}
      {decision.nextChangeAt && (
        <p class="hint">{t('partner.nextChange', { date: formatDate(decision.nextChangeAt) })}</p>
      )}
      <p class="hint">
        {t('partner.rules', { policy: decision.policyVersion, catalogue: decision.catalogueVersion })}
      </p>
    </section>
  );
}

function Certificates(props: {
  rows: ReturnType<typeof certificateRows>;
  buyerId: string;
  action: Signal<Action | null>;
  session: Session;
  onConfirmed: (certificateId: string) => Promise<void>;
}) {
  const open = props.action.value;
  return (
    <>
      <h3>{t('partner.certs.title')}</h3>
      {props.rows.length === 0 && <p>{t('partner.certs.none')}</p>}
      {props.rows.map(({ certificate: c, view, cited }) => {
        const attestation = c.attestation ? decodeJws(c.attestation.jws) : null;
        const effective = view?.effectiveState ?? c.state;
        const canConfirm = confirmable(c, props.buyerId, effective);
        const isOpen = open?.kind === 'confirm' && open.certificateId === c.certificateId;
        return (
          <article class="card" key={c.certificateId} aria-labelledby={`cert-${c.certificateId}`}>
            <h4 id={`cert-${c.certificateId}`}>
              {c.schemeId} {c.number}{' '}
              <span class="tag">{cited ? t('partner.certs.cited') : t('partner.certs.notCited')}</span>
            </h4>
            <dl class="pairs">
              <dt>{t('partner.certs.state')}</dt>
              <dd>
                {t(`partner.certs.effective.${effective}` as MessageKey)}
                {view?.daysToExpiry !== undefined && view.daysToExpiry >= 0 && (
                  <> ({t('partner.certs.daysLeft', { days: view.daysToExpiry })})</>
                )}
              </dd>
              <dt>{t('partner.certs.valid')}</dt>
              <dd>
                {c.validUntil
                  ? t('partner.certs.validRange', {
                      from: formatDate(c.validFrom),
                      until: formatDate(c.validUntil),
                    })
                  : t('partner.certs.validOpen', { from: formatDate(c.validFrom) })}
              </dd>
              <dt>{t('partner.certs.scope')}</dt>
              <dd>
                {listWords(c.scope.functions)}
                {c.scope.sites && c.scope.sites.length > 0 && ` (${listWords(c.scope.sites)})`}
              </dd>
              <dt>{t('partner.certs.trust')}</dt>
              <dd>
                {c.trust === 'attested'
                  ? c.attestation
                    ? t('partner.certs.attested', {
                        issuer: c.issuer ?? '',
                        kid: kidOf(c.attestation.jws),
                        date: formatDate(c.attestation.issuedAt),
                      })
                    : t('partner.certs.attestedNoJws', { issuer: c.issuer ?? '' })
                  : t(
                      c.confirmations.some((k) => k.buyerId === props.buyerId)
                        ? 'partner.certs.claimedConfirmed'
                        : 'partner.certs.claimed',
                      { holder: c.holder, issuerName: c.issuerName ?? '' },
                    )}
                {view?.keyCheck?.status === 'INVALID' && (
                  <strong class="warning">
                    {' '}
                    {t('partner.certs.keyCheck.INVALID', {
                      detail: view.keyCheck.detail ?? view.keyCheck.code ?? '',
                    })}
                  </strong>
                )}
              </dd>
            </dl>
            {c.confirmations.length > 0 && (
              <ul>
                {c.confirmations.map((k) => (
                  <li key={k.buyerId}>
                    {t('partner.certs.confirmedBy', {
                      reviewer: k.reviewer,
                      buyer: k.buyerId,
                      date: formatDate(k.confirmedAt),
                      ref: k.evidenceRef,
                    })}
                  </li>
                ))}
              </ul>
            )}
            {attestation && (
              <details>
                <summary>{t('partner.certs.attestation')}</summary>
                <pre>{JSON.stringify(attestation.payload, null, 2)}</pre>
              </details>
            )}
            {canConfirm && (
              <button
                type="button"
                id={`action-confirm-${c.certificateId}`}
                aria-expanded={isOpen}
                onClick={() => {
                  props.action.value = isOpen ? null : { kind: 'confirm', certificateId: c.certificateId };
                }}
              >
                {t('partner.certs.confirm')}
              </button>
            )}
            {isOpen && (
              <ConfirmForm
                session={props.session}
                certificate={c}
                onCancel={() => {
                  props.action.value = null;
                  queueMicrotask(() => document.getElementById(`action-confirm-${c.certificateId}`)?.focus());
                }}
                onDone={() => props.onConfirmed(c.certificateId)}
              />
            )}
          </article>
        );
      })}
    </>
  );
}

function DeclarationSection({ data, decision }: { data: Loaded; decision: PartnerDecision }) {
  const evidence = data.status.evidence.declaration;
  const decoded = evidence ? decodeJws(evidence.jws) : null;
  const dos = (data.declaration?.declaration ?? decoded?.payload) as
    | Schemas['DeclarationOfSecurity']
    | undefined;
  const report = data.declaration?.verification;
  return (
    <>
      <h3>{t('partner.dos.title')}</h3>
      {!evidence || !dos ? (
        <p>{t('partner.dos.none')}</p>
      ) : (
        <article class="card" aria-label={`${t('partner.dos.title')} ${evidence.declarationId}`}>
          <h4>{evidence.declarationId}</h4>
          <p>
            {t('partner.dos.signed', {
              issuer: dos.issuer,
              kid: kidOf(evidence.jws),
              signatory: dos.signatory.name,
              signatoryTitle: dos.signatory.title,
              authority: dos.signatory.authority,
              date: formatDate(dos.issuedAt),
            })}
          </p>
          <p>
            {t('partner.dos.validity', {
              from: formatDate(dos.validity.from),
              until: formatDate(dos.validity.until),
            })}{' '}
            {t('partner.dos.scope', {
              functions: listWords(dos.scopeOfService.functions),
              locations:
                dos.scopeOfService.locations && dos.scopeOfService.locations.length > 0
                  ? t('partner.dos.locations', { locations: listWords(dos.scopeOfService.locations) })
                  : '',
            })}
          </p>
          <div class="table-wrap">
            <table>
              <caption>{t('partner.dos.areas')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('partner.dos.col.area')}</th>
                  <th scope="col">{t('partner.dos.col.refs')}</th>
                  <th scope="col">{t('partner.dos.col.measures')}</th>
                </tr>
              </thead>
              <tbody>
                {areaRows(dos, decision).map(({ area, measure, missing }) => (
                  <tr key={area}>
                    <th scope="row">{t(`partner.area.${area}` as MessageKey)}</th>
                    <td>
                      {measure
                        ? `${measure.isoReferences.iso28000.join(', ')} / ${measure.isoReferences.iso28001.join(', ')}`
                        : t('partners.none')}
                    </td>
                    <td>
                      {measure ? (
                        <>
                          <p class="statement">{measure.statement}</p>
                          <p class="controls">
                            {t('partner.dos.controls')} {measure.controls.join('; ')}
                          </p>
                        </>
                      ) : missing ? (
                        <strong class="warning">{t('partner.dos.missing')}</strong>
                      ) : (
                        t('partner.dos.notStated')
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {data.declarationError && (
            <p class="error">{t('partner.dos.reportUnavailable', { reason: data.declarationError })}</p>
          )}
          {report && (
            <div class="table-wrap">
              <table>
                <caption>
                  {t('partner.dos.report')}: {t(`partner.dos.verdict.${report.verdict}` as MessageKey)}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('partner.dos.col.check')}</th>
                    <th scope="col">{t('partner.dos.col.result')}</th>
                    <th scope="col">{t('partner.dos.col.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.checks.map((c) => (
                    <tr key={c.check}>
                      <th scope="row">{t(`partner.check.${c.check}` as MessageKey)}</th>
                      <td class={`result result-${c.status}`}>
                        {t(`partner.result.${c.status}` as MessageKey)}
                      </td>
                      <td>{[c.code, c.detail].filter(Boolean).join(': ') || t('partners.none')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </article>
      )}
    </>
  );
}

function Reviews({ reviews }: { reviews: StatusView['evidence']['reviews'] }) {
  return (
    <>
      <h3>{t('partner.reviews.title')}</h3>
      {reviews.length === 0 ? (
        <p>{t('partner.reviews.none')}</p>
      ) : (
        <ul class="records">
          {reviews.map((r) => (
            <li key={r.reviewId}>
              {t('partner.reviews.item', {
                id: r.reviewId,
                method: methodWord(r.method),
                reviewer: r.reviewer,
                date: formatDate(r.reviewedAt),
                outcome: t(`partner.outcome.${r.outcome}` as MessageKey),
              })}
              {r.findings.length > 0 && (
                <>
                  {' '}
                  {t('partner.reviews.findings')} {r.findings.join('; ')}
                </>
              )}
              {r.evidence.length > 0 && (
                <ul>
                  {r.evidence.map((e) => (
                    <li key={e.sha256} class="hash">
                      {t('partner.evidence.hashed', { name: e.name, hash: e.sha256 })}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function History({ changes }: { changes: readonly Change[] }) {
  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">{t('partner.history.title')}</h2>
      {changes.length === 0 ? (
        <p>{t('partner.history.none')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{t('partner.history.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('partner.history.col.when')}</th>
                <th scope="col">{t('partner.history.col.change')}</th>
                <th scope="col">{t('partner.history.col.cause')}</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.version}>
                  <td>
                    <time dateTime={c.decision.evaluatedAt}>{formatDateTime(c.decision.evaluatedAt)}</time>
                  </td>
                  <td>{changeText(c)}</td>
                  <td>{causeText(c.cause)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

// ── The action forms ──

/** Files chosen for evidence, hashed here (SHA-256): only the names and hashes are kept and sent. */
function EvidenceField(props: {
  pointer: string;
  form: ReturnType<typeof useForm>;
  label: string;
  evidence: Signal<Evidence[]>;
  hashing: Signal<boolean>;
}) {
  const onChange = async (event: TargetedEvent<HTMLInputElement>) => {
    const files = Array.from(event.currentTarget.files ?? []);
    props.hashing.value = true;
    try {
      props.evidence.value = await Promise.all(
        files.map(async (f) => ({ name: f.name, sha256: await sha256Hex(await f.arrayBuffer()) })),
      );
    } catch (error) {
      props.form.errors.value = { ...props.form.errors.value, [props.pointer]: errorText(error) };
    } finally {
      props.hashing.value = false;
    }
  };
  return (
    <Field
      pointer={props.pointer}
      form={props.form}
      label={props.label}
      hint={t('partner.review.evidence.hint')}
    >
      <input type="file" multiple onChange={onChange} {...inputProps(props.pointer, props.form, true)} />
      <output for={fieldId(props.pointer)} class="hashes">
        {props.hashing.value && t('partner.evidence.hashing')}
        {!props.hashing.value && props.evidence.value.length > 0 && (
          <ul>
            {props.evidence.value.map((e) => (
              <li key={e.sha256 + e.name} class="hash">
                {t('partner.evidence.hashed', { name: e.name, hash: e.sha256 })}
              </li>
            ))}
          </ul>
        )}
      </output>
    </Field>
  );
}

const text = (data: FormData, pointer: string): string => String(data.get(pointer) ?? '').trim();

/** A form opened from its button: the keyboard goes on in its first control. */
function useFocusFirst(formId: string): void {
  useEffect(() => {
    document.querySelector<HTMLElement>(`#${formId} :is(input, select, textarea)`)?.focus();
  }, [formId]);
}

function FormButtons(props: { busy: boolean; submit: string; onCancel: () => void; danger?: boolean }) {
  return (
    <div class="form-buttons">
      <button type="submit" class={props.danger ? 'danger' : undefined} disabled={props.busy}>
        {props.busy ? t('form.saving') : props.submit}
      </button>
      <button type="button" class="secondary" onClick={props.onCancel}>
        {t('partner.actions.cancel')}
      </button>
    </div>
  );
}

function ReviewForm(props: {
  session: Session;
  partnerId: string;
  declarationId: string;
  onCancel: () => void;
  onDone: () => Promise<void>;
}) {
  const pointers = ['/reviewId', '/reviewedAt', '/reviewer', '/method', '/outcome', '/findings', '/evidence'];
  const form = useForm(pointers, 'review-form');
  useFocusFirst('review-form');
  const evidence = useSignal<Evidence[]>([]);
  const hashing = useSignal(false);
  const reviewId = useRef(newRecordId('R', Date.now(), Math.random()));
  const now = useRef(isoToLocal(Date.now()));
  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (hashing.value) return;
    const data = new FormData(event.currentTarget);
    const reviewedAt = localToIso(text(data, '/reviewedAt'));
    const found: Errors = {
      '/reviewId': text(data, '/reviewId') ? undefined : t('form.required'),
      '/reviewedAt': reviewedAt ? undefined : t('partner.error.date'),
      '/reviewer': text(data, '/reviewer') ? undefined : t('form.required'),
    };
    if (form.refuse(found)) return;
    const ok = await form.run(async () => {
      await apiRequest(props.session.tokens, 'post', '/v1/reviews', {
        body: {
          reviewId: text(data, '/reviewId'),
          partnerId: props.partnerId,
          declarationId: props.declarationId,
          reviewedAt: reviewedAt!,
          reviewer: text(data, '/reviewer'),
          method: text(data, '/method') as 'document-review',
          outcome: text(data, '/outcome') as 'credible',
          findings: lines(String(data.get('/findings') ?? '')),
          evidence: evidence.value,
        },
      });
    });
    if (ok) await props.onDone();
  };
  return (
    <form id="review-form" class="action-form" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{t('partner.review.legend')}</legend>
        <p>{t('partner.review.declaration', { id: props.declarationId })}</p>
        <FormError form={form} formId="review-form" />
        <Field
          pointer="/reviewId"
          form={form}
          label={t('partner.review.reviewId')}
          hint={t('partner.review.reviewId.hint')}
        >
          <input
            type="text"
            defaultValue={reviewId.current}
            required
            {...inputProps('/reviewId', form, true)}
          />
        </Field>
        <Field
          pointer="/reviewedAt"
          form={form}
          label={t('partner.review.reviewedAt')}
          hint={t('partner.review.reviewedAt.hint')}
        >
          <input
            type="datetime-local"
            defaultValue={now.current}
            required
            {...inputProps('/reviewedAt', form, true)}
          />
        </Field>
        <Field pointer="/reviewer" form={form} label={t('partner.review.reviewer')}>
          <input type="text" autoComplete="name" required {...inputProps('/reviewer', form)} />
        </Field>
        <Field pointer="/method" form={form} label={t('partner.review.method')}>
          <select {...inputProps('/method', form)}>
            {(['document-review', 'questionnaire', 'site-visit'] as const).map((m) => (
              <option key={m} value={m}>
                {methodWord(m)}
              </option>
            ))}
          </select>
        </Field>
        <Field pointer="/outcome" form={form} label={t('partner.review.outcome')}>
          <select {...inputProps('/outcome', form)}>
            <option value="credible">{t('partner.outcome.credible')}</option>
            <option value="not-credible">{t('partner.outcome.not-credible')}</option>
          </select>
        </Field>
        <Field
          pointer="/findings"
          form={form}
          label={t('partner.review.findings')}
          hint={t('partner.review.findings.hint')}
        >
          <textarea rows={3} {...inputProps('/findings', form, true)} />
        </Field>
        <EvidenceField
          pointer="/evidence"
          form={form}
          label={t('partner.review.evidence')}
          evidence={evidence}
          hashing={hashing}
        />
        <FormButtons
          busy={form.busy.value || hashing.value}
          submit={t('partner.review.submit')}
          onCancel={props.onCancel}
        />
      </fieldset>
    </form>
  );
}

function IncidentForm(props: {
  session: Session;
  partnerId: string;
  onCancel: () => void;
  onDone: () => Promise<void>;
}) {
  const pointers = [
    '/incidentId',
    '/occurredAt',
    '/severity',
    '/category',
    '/summary',
    '/reportedTo',
    '/evidence',
  ];
  const form = useForm(pointers, 'incident-form');
  useFocusFirst('incident-form');
  const evidence = useSignal<Evidence[]>([]);
  const hashing = useSignal(false);
  const incidentId = useRef(newRecordId('INC', Date.now(), Math.random()));
  const reportedError = form.errors.value['/reportedTo'];
  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (hashing.value) return;
    const data = new FormData(event.currentTarget);
    const occurredAt = localToIso(text(data, '/occurredAt'));
    const found: Errors = {
      '/incidentId': text(data, '/incidentId') ? undefined : t('form.required'),
      '/occurredAt': occurredAt ? undefined : t('partner.error.date'),
      '/summary': text(data, '/summary') ? undefined : t('partner.error.text'),
    };
    if (form.refuse(found)) return;
    const ok = await form.run(async () => {
      await apiRequest(props.session.tokens, 'post', '/v1/incidents', {
        body: {
          incidentId: text(data, '/incidentId'),
          partnerId: props.partnerId,
          occurredAt: occurredAt!,
          severity: text(data, '/severity') as 'low',
          category: text(data, '/category') as 'other',
          summary: text(data, '/summary'),
          reportedTo: data.getAll('/reportedTo').map(String) as 'customs'[],
          evidence: evidence.value,
        },
      });
    });
    if (ok) await props.onDone();
  };
  return (
    <form id="incident-form" class="action-form" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{t('partner.incident.legend')}</legend>
        <FormError form={form} formId="incident-form" />
        <Field
          pointer="/incidentId"
          form={form}
          label={t('partner.incident.incidentId')}
          hint={t('partner.incident.incidentId.hint')}
        >
          <input
            type="text"
            defaultValue={incidentId.current}
            required
            {...inputProps('/incidentId', form, true)}
          />
        </Field>
        <Field
          pointer="/occurredAt"
          form={form}
          label={t('partner.incident.occurredAt')}
          hint={t('partner.incident.occurredAt.hint')}
        >
          <input type="datetime-local" required {...inputProps('/occurredAt', form, true)} />
        </Field>
        <Field
          pointer="/severity"
          form={form}
          label={t('partner.incident.severity')}
          hint={t('partner.incident.severity.hint')}
        >
          <select {...inputProps('/severity', form, true)}>
            {(['low', 'medium', 'high'] as const).map((s) => (
              <option key={s} value={s}>
                {t(`partner.severity.${s}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field pointer="/category" form={form} label={t('partner.incident.category')}>
          <select {...inputProps('/category', form)}>
            {(
              [
                'theft',
                'tampering',
                'unauthorised-access',
                'smuggling',
                'cyber',
                'documentation',
                'other',
              ] as const
            ).map((c) => (
              <option key={c} value={c}>
                {t(`partner.category.${c}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field pointer="/summary" form={form} label={t('partner.incident.summary')}>
          <textarea rows={3} required {...inputProps('/summary', form)} />
        </Field>
        <fieldset
          id={fieldId('/reportedTo')}
          class="group"
          tabIndex={-1}
          aria-describedby={reportedError ? `${fieldId('/reportedTo')}-error` : undefined}
        >
          <legend>{t('partner.incident.reportedTo')}</legend>
          {(['customs', 'law-enforcement', 'other'] as const).map((r) => (
            <label key={r} class="check">
              <input type="checkbox" name="/reportedTo" value={r} /> {t(`partner.reported.${r}`)}
            </label>
          ))}
          {reportedError && (
            <p id={`${fieldId('/reportedTo')}-error`} class="error">
              {reportedError}
            </p>
          )}
        </fieldset>
        <EvidenceField
          pointer="/evidence"
          form={form}
          label={t('partner.incident.evidence')}
          evidence={evidence}
          hashing={hashing}
        />
        <FormButtons
          busy={form.busy.value || hashing.value}
          submit={t('partner.incident.submit')}
          onCancel={props.onCancel}
        />
      </fieldset>
    </form>
  );
}

function ConfirmForm(props: {
  session: Session;
  certificate: Certificate;
  onCancel: () => void;
  onDone: () => Promise<void>;
}) {
  const form = useForm(['/reviewer', '/evidenceRef'], 'confirm-form');
  useFocusFirst('confirm-form');
  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const found: Errors = {
      '/reviewer': text(data, '/reviewer') ? undefined : t('form.required'),
      '/evidenceRef': text(data, '/evidenceRef') ? undefined : t('form.required'),
    };
    if (form.refuse(found)) return;
    const ok = await form.run(async () => {
      await apiRequest(props.session.tokens, 'post', '/v1/certificates/{certificateId}/confirmations', {
        path: { certificateId: props.certificate.certificateId },
        body: { reviewer: text(data, '/reviewer'), evidenceRef: text(data, '/evidenceRef') },
      });
    });
    if (ok) await props.onDone();
  };
  return (
    <form id="confirm-form" class="action-form" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{t('partner.confirm.legend', { number: props.certificate.number })}</legend>
        <p>{t('partner.confirm.intro')}</p>
        <FormError form={form} formId="confirm-form" />
        <Field pointer="/reviewer" form={form} label={t('partner.confirm.reviewer')}>
          <input type="text" autoComplete="name" required {...inputProps('/reviewer', form)} />
        </Field>
        <Field
          pointer="/evidenceRef"
          form={form}
          label={t('partner.confirm.evidenceRef')}
          hint={t('partner.confirm.evidenceRef.hint')}
        >
          <input type="text" required {...inputProps('/evidenceRef', form, true)} />
        </Field>
        <FormButtons busy={form.busy.value} submit={t('partner.confirm.submit')} onCancel={props.onCancel} />
      </fieldset>
    </form>
  );
}

function EndForm(props: {
  session: Session;
  name: string;
  partnerId: string;
  relationshipId: string;
  onCancel: () => void;
  onDone: (r: Relationship) => void;
}) {
  const form = useForm(['/confirm'], 'end-form');
  useFocusFirst('end-form');
  const onSubmit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    if (form.refuse({ '/confirm': data.get('/confirm') ? undefined : t('partner.end.unconfirmed') })) return;
    let ended: Relationship | undefined;
    const ok = await form.run(async () => {
      ended = (
        await apiRequest(props.session.tokens, 'post', '/v1/relationships/{relationshipId}/termination', {
          path: { relationshipId: props.relationshipId },
        })
      ).body;
    });
    if (ok && ended) props.onDone(ended);
  };
  return (
    <form id="end-form" class="action-form" onSubmit={onSubmit} noValidate>
      <fieldset>
        <legend>{t('partner.end.legend')}</legend>
        <p class="warning">{t('partner.end.warning', { name: props.name })}</p>
        <FormError form={form} formId="end-form" />
        <div class="field check">
          <input type="checkbox" value="yes" {...inputProps('/confirm', form)} />
          <label for={fieldId('/confirm')}>{t('partner.end.confirm', { id: props.partnerId })}</label>
          {form.errors.value['/confirm'] && (
            <p id={`${fieldId('/confirm')}-error`} class="error">
              {form.errors.value['/confirm']}
            </p>
          )}
        </div>
        <FormButtons
          busy={form.busy.value}
          submit={t('partner.end.submit')}
          onCancel={props.onCancel}
          danger
        />
      </fieldset>
    </form>
  );
}
