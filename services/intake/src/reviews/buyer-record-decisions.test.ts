import {
  contentHash,
  deterministicEventId,
  type IncidentRecordRequest,
  type ReviewRecordRequest,
} from '@pdx/contracts';
import { describe, expect, it } from 'vitest';
import { contextAt, summary } from '../decisions.testing.js';
import { decideIncident, decideReview } from './buyer-record-decisions.js';
import type { IncidentRecordDoc } from './record-incident.js';
import type { ReviewRecordDoc } from './record-review.js';

const now = '2026-06-01T00:00:00.000Z';
const context = contextAt(now);
const stored = { version: 1, outbox: [], pending: false };

describe('decideReview', () => {
  const request: ReviewRecordRequest = {
    reviewId: 'REV-2026-001',
    partnerId: 'acme',
    declarationId: 'dos-2026-1',
    reviewedAt: '2026-05-20T00:00:00Z',
    reviewer: 'Jane Doe',
    method: 'questionnaire',
    outcome: 'credible',
    findings: [],
  };
  const hash = contentHash(request);
  const review = { ...request, evidence: [], buyerId: 'globex', recordedAt: now, contentHash: hash };
  const kept = (contentHash: string): ReviewRecordDoc => ({
    id: 'globex~REV-2026-001',
    ...stored,
    buyerId: 'globex',
    partnerId: 'acme',
    review: { ...review, recordedAt: '2026-05-21T00:00:00.000Z', contentHash },
  });
  it.each([
    {
      given: 'a new review',
      current: undefined,
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.review.recorded.v1',
            id: deterministicEventId('review.recorded.v1', 'globex', 'REV-2026-001', hash),
            subject: 'acme',
            data: { review },
          },
        ],
        next: { id: 'globex~REV-2026-001', buyerId: 'globex', partnerId: 'acme', review },
        value: review,
      },
    },
    {
      given: 'the same review again: answered as first recorded',
      current: kept(hash),
      expected: { kind: 'unchanged', value: { recordedAt: '2026-05-21T00:00:00.000Z' } },
    },
    {
      given: 'another review under the same id',
      current: kept('x'.repeat(43)),
      expected: { kind: 'refused', code: 'PDX_REVIEW_CONFLICT', pointer: '/reviewId' },
    },
  ])('$given', ({ current, expected }) => {
    expect(
      summary(decideReview(current, { request, buyerId: 'globex', contentHash: hash }, context)),
    ).toMatchObject(expected);
  });
});

describe('decideIncident', () => {
  const request: IncidentRecordRequest = {
    incidentId: 'INC-2026-07',
    partnerId: 'acme',
    occurredAt: '2026-05-30T00:00:00Z',
    severity: 'high',
    category: 'tampering',
    summary: 'seal broken on arrival',
  };
  const hash = contentHash(request);
  const incident = {
    ...request,
    reportedTo: [],
    evidence: [],
    buyerId: 'globex',
    recordedAt: now,
    contentHash: hash,
  };
  const kept = (contentHash: string): IncidentRecordDoc => ({
    id: 'globex~INC-2026-07',
    ...stored,
    buyerId: 'globex',
    partnerId: 'acme',
    incident: { ...incident, contentHash },
  });
  it.each([
    {
      given: 'a new incident',
      current: undefined,
      expected: {
        kind: 'change',
        events: [
          {
            type: 'org.pdx.incident.recorded.v1',
            id: deterministicEventId('incident.recorded.v1', 'globex', 'INC-2026-07', hash),
            subject: 'acme',
            data: { incident },
          },
        ],
        next: { id: 'globex~INC-2026-07', buyerId: 'globex', partnerId: 'acme', incident },
        value: incident,
      },
    },
    {
      given: 'the same incident again',
      current: kept(hash),
      expected: { kind: 'unchanged', value: incident },
    },
    {
      given: 'another incident under the same id',
      current: kept('x'.repeat(43)),
      expected: { kind: 'refused', code: 'PDX_INCIDENT_CONFLICT', pointer: '/incidentId' },
    },
  ])('$given', ({ current, expected }) => {
    expect(
      summary(decideIncident(current, { request, buyerId: 'globex', contentHash: hash }, context)),
    ).toMatchObject(expected);
  });
});
