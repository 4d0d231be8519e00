import { ApiError, apiGet } from '../api.js';
import { LoadState, useLoad } from '../components/load.js';
import { type AreaCode, areaCodes, isoReferences } from '../declare/compose.js';
import { areaName, modeWord, ReportView } from '../declare/ui.js';
import { errorText } from '../errors.js';
import { formatDate, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { onLinkClick } from '../router.js';
import { functionWord } from '../vocabulary.js';
import '../styles/declare.css';
import { DeclarationStateBadge, declarationPath } from './declarations.js';

/** One declaration, as its issuer and its recipient buyers see it, with its verification report. */
export function DeclarationPage({ session, params, page }: SignedInProps) {
  const { issuer = '', declarationId = '' } = params;
  const { data: view, error } = useLoad(
    () =>
      apiGet(session.tokens, '/v1/declarations/{issuer}/{declarationId}', {
        path: { issuer, declarationId },
      }),
    [session, issuer, declarationId],
    {
      describe: (e) =>
        e instanceof ApiError && e.status === 404
          ? t('declaration.notFound', { id: declarationId, issuer })
          : errorText(e),
    },
  );

  const v = view.value;
  const d = v?.declaration;
  const mine = session.partyId === issuer;
  return (
    <main id="content" tabIndex={-1}>
      <h1>
        {t(page.label)} {declarationId}
      </h1>
      {mine && (
        <p>
          <a href="/declarations" onClick={onLinkClick}>
            {t('declaration.back')}
          </a>
        </p>
      )}
      <LoadState error={error.value} data={v} />
      {v && d && (
        <>
          {mine && v.state === 'current' && (
            <p>
              <a
                class="button-link"
                href={`/declarations/new?from=${encodeURIComponent(declarationId)}`}
                onClick={onLinkClick}
              >
                {t('declaration.supersede')}
              </a>
            </p>
          )}
          <section aria-labelledby="details-title">
            <h2 id="details-title">{t('declaration.details')}</h2>
            <dl class="facts">
              <dt>{t('declaration.state')}</dt>
              <dd>
                <DeclarationStateBadge view={v} />
              </dd>
              <dt>{t('declaration.issuer')}</dt>
              <dd>{v.issuer}</dd>
              <dt>{t('declaration.recipients')}</dt>
              <dd>{v.recipients.join(', ')}</dd>
              <dt>{t('declaration.validity')}</dt>
              <dd>
                {t('declarations.validity', {
                  from: formatDate(d.validity.from),
                  until: formatDate(d.validity.until),
                })}
              </dd>
              <dt>{t('declaration.signatory')}</dt>
              <dd>{t('declaration.signatory.value', d.signatory)}</dd>
              <dt>{t('declaration.issuedAt')}</dt>
              <dd>
                <time dateTime={d.issuedAt}>{formatDate(d.issuedAt)}</time>
              </dd>
              <dt>{t('declaration.submittedAt')}</dt>
              <dd>
                <time dateTime={v.submittedAt}>{formatDate(v.submittedAt)}</time>
              </dd>
              {v.supersedes && (
                <>
                  <dt>{t('declaration.supersedes')}</dt>
                  <dd>
                    <a href={declarationPath(issuer, v.supersedes)} onClick={onLinkClick}>
                      {v.supersedes}
                    </a>
                  </dd>
                </>
              )}
              {v.supersededBy && (
                <>
                  <dt>{t('declaration.supersededBy')}</dt>
                  <dd>
                    <a href={declarationPath(issuer, v.supersededBy)} onClick={onLinkClick}>
                      {v.supersededBy}
                    </a>
                  </dd>
                </>
              )}
              <dt>{t('declaration.contentHash')}</dt>
              <dd>
                <code class="hash">{v.contentHash}</code>
              </dd>
            </dl>
          </section>
          <section aria-labelledby="scope-title">
            <h2 id="scope-title">{t('declaration.scope')}</h2>
            <dl class="facts">
              <dt>{t('declaration.functions')}</dt>
              <dd>{d.scopeOfService.functions.map(functionWord).join(', ')}</dd>
              <dt>{t('declaration.locations')}</dt>
              <dd>{d.scopeOfService.locations?.join(', ') || t('declaration.none')}</dd>
              <dt>{t('declaration.routes')}</dt>
              <dd>
                {d.scopeOfService.routes?.length
                  ? d.scopeOfService.routes
                      .map((r) =>
                        r.mode
                          ? t('declaration.route.mode', { from: r.from, to: r.to, mode: modeWord(r.mode) })
                          : t('declaration.route', { from: r.from, to: r.to }),
                      )
                      .join('; ')
                  : t('declaration.none')}
              </dd>
            </dl>
          </section>
          <section aria-labelledby="measures-title">
            <h2 id="measures-title">{t('declaration.measures')}</h2>
            {areaCodes
              .filter((a) => d.measures[a])
              .map((a: AreaCode) => {
                const m = d.measures[a]!;
                const refs = isoReferences(a);
                return (
                  <article key={a} class="measure" aria-labelledby={`area-${a}`}>
                    <h3 id={`area-${a}`}>{t('declare.area', { code: a, name: areaName(a) })}</h3>
                    <p class="hint">
                      {t('declaration.iso', {
                        iso28000: refs.iso28000.join(', '),
                        iso28001: refs.iso28001.join(', '),
                      })}
                    </p>
                    <p>{m.statement}</p>
                    <h4>{t('declaration.controls')}</h4>
                    <ul>
                      {m.controls.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  </article>
                );
              })}
          </section>
          <ReportView report={v.verification} />
        </>
      )}
    </main>
  );
}
