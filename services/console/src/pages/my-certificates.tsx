import { useSignal } from '@preact/signals';
import type { TargetedEvent } from 'preact';
import { apiGet, apiRequest } from '../api.js';
import { Field, FormError, inputProps, useForm } from '../components/form.js';
import { LoadState, useLoad } from '../components/load.js';
import {
  CLAIM_POINTERS,
  type ClaimDraft,
  type ClaimPointer,
  checkClaim,
  emptyClaim,
  toClaim,
} from '../declare/claim.js';
import { CheckGroup } from '../declare/ui.js';
import { sha256Hex } from '../encoding.js';
import { formatDate, t } from '../messages.js';
import type { SignedInProps } from '../page.js';
import { certificateStateWord, functionWord, serviceFunctions } from '../vocabulary.js';
import '../styles/declare.css';

const FORM_ID = 'claim';

/** The partner's certificates (attested and claimed), and a form to claim one. */
export function MyCertificatesPage({ session, page }: SignedInProps) {
  const { data: list, error } = useLoad(
    async () =>
      (await apiGet(session.tokens, '/v1/certificates', { query: { holder: session.partyId } })).certificates,
    [session],
  );
  const claim = useSignal<ClaimDraft>(emptyClaim());
  const notice = useSignal<string | null>(null);
  // A new form after each claim (the file chooser too).
  const round = useSignal(0);
  const form = useForm(CLAIM_POINTERS, FORM_ID);

  const c = claim.value;
  const set = (change: Partial<ClaimDraft>) => {
    claim.value = { ...claim.value, ...change };
  };
  const text = (
    pointer: ClaimPointer,
    label: string,
    key: keyof ClaimDraft,
    hint?: string,
    type: 'text' | 'date' = 'text',
  ) => (
    <Field pointer={pointer} form={form} label={label} {...(hint ? { hint } : {})}>
      {type === 'date' ? (
        <input
          type="date"
          value={c[key] as string}
          onInput={(e) => set({ [key]: e.currentTarget.value })}
          {...inputProps(pointer, form, !!hint)}
        />
      ) : (
        <input
          type="text"
          value={c[key] as string}
          onInput={(e) => set({ [key]: e.currentTarget.value })}
          {...inputProps(pointer, form, !!hint)}
        />
      )}
    </Field>
  );
  const onEvidenceFile = async (event: TargetedEvent<HTMLInputElement>) => {
    const file = event.currentTarget.files?.[0];
    if (!file) return;
    // Only the hash leaves the browser: the reviewer matches it against the document shown to them.
    const hash = await sha256Hex(await file.arrayBuffer());
    set({ evidence: t('myCertificates.evidenceHash', { hash, name: file.name }).slice(0, 500) });
  };
  const submit = async (event: TargetedEvent<HTMLFormElement>) => {
    event.preventDefault();
    notice.value = null;
    if (form.refuse(checkClaim(claim.value))) return;
    const body = toClaim(claim.value);
    const ok = await form.run(async () => {
      const answer = await apiRequest(session.tokens, 'post', '/v1/certificates/claims', { body });
      // The answer is the certificate as recorded; the list comes from the status service,
      // which learns of it a moment later.
      const claimed = answer.body;
      list.value = [
        claimed,
        ...(list.value ?? []).filter(
          (v) => v.certificate.certificateId !== claimed.certificate.certificateId,
        ),
      ];
    });
    if (ok) {
      notice.value = t('myCertificates.claim.done', { scheme: body.schemeId, number: body.number });
      claim.value = emptyClaim();
      round.value += 1;
    }
  };

  return (
    <main id="content" tabIndex={-1}>
      <h1>{t(page.label)}</h1>
      <p class="intro">{t('myCertificates.intro')}</p>
      <LoadState error={error.value} data={list.value} title={t('myCertificates.empty.title')}>
        {t('myCertificates.empty.body')}
      </LoadState>
      {list.value && list.value.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption>{t('myCertificates.table')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('myCertificates.col.scheme')}</th>
                <th scope="col">{t('myCertificates.col.number')}</th>
                <th scope="col">{t('myCertificates.col.trust')}</th>
                <th scope="col">{t('myCertificates.col.state')}</th>
                <th scope="col">{t('myCertificates.col.scope')}</th>
                <th scope="col">{t('myCertificates.col.validUntil')}</th>
              </tr>
            </thead>
            <tbody>
              {list.value.map((v) => {
                const cert = v.certificate;
                const confirmed = cert.confirmations.map((x) => x.buyerId);
                return (
                  <tr key={cert.certificateId}>
                    <th scope="row">{cert.schemeId}</th>
                    <td>{cert.number}</td>
                    <td>
                      {cert.trust === 'attested'
                        ? t('myCertificates.trust.attested', { issuer: cert.issuer ?? '' })
                        : t('myCertificates.trust.claimed', { issuer: cert.issuerName ?? '' })}
                      {confirmed.length > 0 && (
                        <span class="hint">
                          {' '}
                          {t('myCertificates.confirmed', { buyers: confirmed.join(', ') })}
                        </span>
                      )}
                    </td>
                    <td>
                      <span class={`cert-state cert-${v.effectiveState}`}>
                        {certificateStateWord(v.effectiveState)}
                      </span>
                    </td>
                    <td>
                      {cert.scope.functions.map(functionWord).join(', ')}
                      {cert.scope.sites?.length ? ` · ${cert.scope.sites.join(', ')}` : ''}
                    </td>
                    <td>
                      {cert.validUntil ? (
                        <time dateTime={cert.validUntil}>{formatDate(cert.validUntil)}</time>
                      ) : (
                        t('myCertificates.openEnded')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}

      <section aria-labelledby="claim-title" class="claim">
        <h2 id="claim-title">{t('myCertificates.claim.title')}</h2>
        <p class="hint">{t('myCertificates.claim.intro')}</p>
        <div aria-live="polite">{notice.value && <p class="notice">{notice.value}</p>}</div>
        <form
          key={round.value}
          id={FORM_ID}
          noValidate
          onSubmit={(e) => void submit(e)}
          aria-busy={form.busy.value}
        >
          <FormError form={form} formId={FORM_ID} />
          {text('/schemeId', t('myCertificates.schemeId'), 'schemeId', t('myCertificates.schemeId.hint'))}
          {text('/number', t('myCertificates.number'), 'number')}
          {text(
            '/issuerName',
            t('myCertificates.issuerName'),
            'issuerName',
            t('myCertificates.issuerName.hint'),
          )}
          {text('/tier', t('myCertificates.tier'), 'tier')}
          <div class="pair">
            {text('/validFrom', t('myCertificates.validFrom'), 'validFrom', undefined, 'date')}
            {text('/validUntil', t('myCertificates.validUntil'), 'validUntil', undefined, 'date')}
          </div>
          <CheckGroup
            pointer="/scope/functions"
            form={form}
            legend={t('myCertificates.functions')}
            options={serviceFunctions}
            labelOf={functionWord}
            selected={c.functions}
            onChange={(functions) => set({ functions })}
          />
          {text('/scope/sites', t('myCertificates.sites'), 'sites', t('declare.locations.hint'))}
          {text('/evidence', t('myCertificates.evidence'), 'evidence', t('myCertificates.evidence.hint'))}
          <div class="field">
            <label for="evidence-file">{t('myCertificates.evidenceFile')}</label>
            <input
              id="evidence-file"
              type="file"
              aria-describedby="evidence-file-hint"
              onChange={(e) => void onEvidenceFile(e)}
            />
            <p id="evidence-file-hint" class="hint">
              {t('myCertificates.evidenceFile.hint')}
            </p>
          </div>
          <button type="submit" disabled={form.busy.value}>
            {form.busy.value ? t('myCertificates.claim.busy') : t('myCertificates.claim.submit')}
          </button>
        </form>
      </section>
    </main>
  );
}
