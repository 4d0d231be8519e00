import { contentHash, type DeclarationOfSecurity, deterministicEventId } from '@pdx/contracts';
import {
  DECLARATION_TYP,
  generateSigningKey,
  signCompact,
  type VerifiedDeclaration,
  verifyDeclaration,
} from '@pdx/crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import { decideDeclaration } from './declaration-decisions.js';
import type { DeclarationRecord } from './declaration-record.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const declaration: DeclarationOfSecurity = {
  declarationId: 'dos-2',
  issuer: 'acme',
  recipients: ['globex'],
  supersedes: 'dos-1',
  scopeOfService: { functions: ['warehouse'], locations: ['DEHAM'] },
  measures: {
    E: {
      statement: 'Fenced, lit, access-controlled.',
      controls: ['Badge access'],
      isoReferences: { iso28000: ['4.4.6'], iso28001: ['5.4'] },
    },
  },
  validity: { from: '2026-01-01T00:00:00Z', until: '2027-01-01T00:00:00Z' },
  signatory: { name: 'E. Mustermann', title: 'Head of Security', authority: 'Prokura' },
  issuedAt: '2026-05-01T00:00:00Z',
};
const hash = contentHash(declaration);
let verified: VerifiedDeclaration;

beforeAll(async () => {
  const { privateJwk, publicJwk } = await generateSigningKey('EdDSA', 'k1');
  const jws = await signCompact(JSON.stringify(declaration), privateJwk, DECLARATION_TYP);
  verified = await verifyDeclaration(
    jws,
    { partyId: 'acme', keys: [{ jwk: publicJwk, addedAt: '2026-01-01T00:00:00Z' }] },
    context.registry,
    { now: context.now, maxAheadMs: 90 * 86_400_000, skewMs: 30_000 },
  );
});

const recorded = (contentHash: string): DeclarationRecord => ({
  id: 'acme~dos-2',
  version: 1,
  outbox: [],
  pending: false,
  issuer: 'acme',
  declarationId: 'dos-2',
  recipients: ['globex'],
  issuedAt: declaration.issuedAt,
  contentHash,
  submittedAt: '2026-05-02T00:00:00.000Z',
  eventId: 'e',
});

describe('decideDeclaration', () => {
  it('records a new declaration with its JWS, its report and what it supersedes', () => {
    const eventId = deterministicEventId('declaration.submitted.v1', 'acme', 'dos-2', hash);
    expect(summary(decideDeclaration(undefined, { verified, contentHash: hash }, context))).toMatchObject({
      kind: 'change',
      events: [
        {
          type: 'org.pdx.declaration.submitted.v1',
          id: eventId,
          subject: 'acme',
          data: {
            declarationId: 'dos-2',
            issuer: 'acme',
            recipients: ['globex'],
            jws: verified.jws,
            declaration,
            contentHash: hash,
            submittedAt: now,
            supersedes: 'dos-1',
            verification: { verdict: 'VALID' },
          },
        },
      ],
      next: {
        id: 'acme~dos-2',
        issuer: 'acme',
        declarationId: 'dos-2',
        recipients: ['globex'],
        issuedAt: '2026-05-01T00:00:00Z',
        contentHash: hash,
        submittedAt: now,
        eventId,
      },
    });
  });

  it.each([
    { given: 'the same declaration again', existing: () => recorded(hash), expected: { kind: 'unchanged' } },
    {
      given: 'another declaration under the same id',
      existing: () => recorded('x'.repeat(43)),
      expected: { kind: 'refused', code: 'PDX_DECLARATION_CONFLICT', pointer: '/declarationId' },
    },
  ])('$given', ({ existing, expected }) => {
    expect(summary(decideDeclaration(existing(), { verified, contentHash: hash }, context))).toEqual(
      expected,
    );
  });
});
