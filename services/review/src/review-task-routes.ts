import { errorResponses } from '@pdx/http';
import type { FastifyPluginAsync } from 'fastify';
import { callingParty } from './caller.js';
import { dateBound, dateFilterSchema } from './date-filter.js';
import type { FactStore } from './facts/apply-fact-event.js';

const taskList = {
  type: 'object',
  required: ['tasks'],
  properties: {
    tasks: {
      type: 'array',
      items: {
        type: 'object',
        required: ['taskId', 'partnerId', 'task', 'state', 'openedAt'],
        properties: {
          taskId: { type: 'string' },
          partnerId: { type: 'string' },
          task: { $ref: 'urn:pdx:schema:common:review-task.v1' },
          state: { enum: ['open', 'closed'] },
          overdue: { type: 'boolean' },
          openedAt: { type: 'string' },
          closedAt: { type: 'string' },
          outcome: { enum: ['reviewed', 'replaced', 'not-required'] },
          reviewId: { type: 'string' },
        },
      },
    },
  },
} as const;

/**
 * GET /v1/review-tasks — the security reviews (ISO 28001 4.5) a buyer owes: open ones by
 * default, soonest due first, optionally of one partner, due before a date, or closed ones
 * with how they ended.
 */
export function reviewTaskRoutes(facts: FactStore, now: () => number): FastifyPluginAsync {
  return async (app) => {
    app.get<{ Querystring: { state?: 'open' | 'closed'; partnerId?: string; dueBefore?: string } }>(
      '/v1/review-tasks',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              state: { enum: ['open', 'closed'] },
              partnerId: { $ref: 'urn:pdx:schema:common:party-id.v1' },
              dueBefore: dateFilterSchema,
            },
          },
          response: { 200: taskList, ...errorResponses('PDX_ROLE_REQUIRED') },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const caller = { id: callingParty(request, 'review tasks') };
        const { state = 'open', partnerId, dueBefore } = request.query;
        const before = dueBefore === undefined ? Number.POSITIVE_INFINITY : dateBound('dueBefore', dueBefore);
        const at = now();
        const tasks = (
          await facts.tasks.find(
            { buyerId: caller.id, state, ...(partnerId === undefined ? {} : { partnerId }) },
            { sort: { field: 'dueMs', order: 1 } },
          )
        ).filter((t) => t.dueMs < before);
        return {
          tasks: tasks.map((t) => ({
            taskId: t.id,
            partnerId: t.partnerId,
            task: t.task,
            state: t.state,
            ...(t.state === 'open' ? { overdue: t.dueMs <= at } : {}),
            openedAt: t.openedAt,
            ...(t.closedAt === undefined ? {} : { closedAt: t.closedAt }),
            ...(t.outcome === undefined ? {} : { outcome: t.outcome }),
            ...(t.reviewId === undefined ? {} : { reviewId: t.reviewId }),
          })),
        };
      },
    );
  };
}
