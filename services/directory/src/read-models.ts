import { certificateCollection, linkCollection, partyCollection } from '@pdx/read-models';

/** The directory's copies of the shared facts, with the indexes of its queries. */
export const partyDocs = partyCollection({ indexes: [{ fields: ['country'] }] });
export const linkDocs = linkCollection({
  name: 'relationships',
  indexes: [{ fields: ['buyerId'] }, { fields: ['partnerId'] }],
});
export const certificateDocs = certificateCollection({
  // A certificate checked by scheme and number; the attestations an issuer signed.
  indexes: [{ fields: ['certificate.schemeId', 'certificate.number'] }, { fields: ['certificate.issuer'] }],
});
