import { randomUUID } from 'node:crypto';
import { type AlertSubscriptionRequest, PdxError } from '@pdx/contracts';
import { errorResponses, type Principal, principalOf } from '@pdx/http';
import { type Clock, isoNow } from '@pdx/runtime';
import { changeRecord } from '@pdx/store';
import type { FastifyPluginAsync } from 'fastify';
import type { DeliveryState } from '../alert-records.js';
import type { AlertStore } from '../fan-out/apply-alert-event.js';
import type { AlertFeed } from '../stream/alert-feed.js';
import { AlertStreamSession, parseLastEventId } from '../stream/alert-stream.js';
import { decideRetry } from '../webhooks/delivery-decisions.js';
import { checkWebhookUrl, type WebhookTargetPolicy } from '../webhooks/webhook-target.js';
import { decideAcknowledgement } from './alert-decisions.js';
import { toAlertView, toDeliveryView, toSubscriptionView } from './alert-view.js';

export interface AlertRouteDeps extends AlertStore {
  /** The roles of a registered party, as the alerts service learnt them. */
  rolesOf(partyId: string): Promise<readonly string[]>;
  clock: Clock;
  wallClock: Clock;
  targets: WebhookTargetPolicy;
  /** New alerts of this process, and how far streams may read. */
  feed: AlertFeed;
  /** How often a stream looks for alerts other replicas made (and sends a keep-alive). */
  streamPollMs: number;
  /** What receivers verify `webhook-signature` (Standard Webhooks v1a) with: `whpk_…`, and its kid. */
  webhookKey: { publicKey: string; kid: string };
}

/** What every route of a buyer's alerts can answer besides the common errors. */
const problems = errorResponses('PDX_FORBIDDEN');
const idParam = (name: string) =>
  ({
    type: 'object',
    required: [name],
    properties: { [name]: { type: 'string', pattern: '^[0-9a-f-]{36}$' } },
  }) as const;

function buyerOf(principal: Principal): string {
  if (principal.kind !== 'party')
    throw new PdxError('PDX_FORBIDDEN', 'alerts are a buyer’s: authenticate as the buyer');
  return principal.id;
}

/**
 * A buyer's alerts: webhook subscriptions, the inbox (list, acknowledge), deliveries
 * (dead ones included, with a way to try again) and a live stream (Server-Sent Events). The
 * exchange's public key that signs webhooks is published by the host's JWKS.
 */
export function alertRoutes(deps: AlertRouteDeps): FastifyPluginAsync {
  return async (app) => {
    app.post<{ Body: AlertSubscriptionRequest }>(
      '/v1/alert-subscriptions',
      {
        schema: {
          body: { $ref: 'urn:pdx:schema:api:alert-subscription.v1' },
          response: {
            201: { $ref: 'urn:pdx:schema:api:alert-subscription-view.v1' },
            ...errorResponses(
              'PDX_FORBIDDEN',
              'PDX_ROLE_REQUIRED',
              'PDX_WEBHOOK_URL_INVALID',
              'PDX_WEBHOOK_TARGET_FORBIDDEN',
            ),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const buyerId = buyerOf(principalOf(request));
        if (!(await deps.rolesOf(buyerId)).includes('buyer')) {
          throw new PdxError(
            'PDX_ROLE_REQUIRED',
            'alerts concern a buyer’s business partners: only buyers subscribe',
          );
        }
        const url = checkWebhookUrl(request.body.url, deps.targets);
        const doc = {
          id: randomUUID(),
          buyerId,
          url: url.href,
          kinds: request.body.kinds ?? [],
          createdAt: isoNow(deps.clock),
        };
        await deps.subscriptions.insert(doc);
        return reply
          .code(201)
          .header('location', `/v1/alert-subscriptions/${doc.id}`)
          .send(toSubscriptionView(doc, deps.webhookKey));
      },
    );
    app.get(
      '/v1/alert-subscriptions',
      {
        schema: {
          response: {
            200: {
              type: 'object',
              required: ['subscriptions'],
              properties: {
                subscriptions: {
                  type: 'array',
                  items: { $ref: 'urn:pdx:schema:api:alert-subscription-view.v1' },
                },
              },
            },
            ...problems,
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => ({
        subscriptions: (await deps.subscriptions.find({ buyerId: buyerOf(principalOf(request)) })).map(
          (doc) => toSubscriptionView(doc, deps.webhookKey),
        ),
      }),
    );
    app.delete<{ Params: { subscriptionId: string } }>(
      '/v1/alert-subscriptions/:subscriptionId',
      {
        schema: {
          params: idParam('subscriptionId'),
          response: {
            204: { description: 'Removed.', type: 'null' },
            ...errorResponses('PDX_FORBIDDEN', 'PDX_SUBSCRIPTION_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const sub = await deps.subscriptions.get(request.params.subscriptionId);
        if (!sub || sub.buyerId !== buyerOf(principalOf(request))) {
          throw new PdxError(
            'PDX_SUBSCRIPTION_NOT_FOUND',
            `no subscription ${request.params.subscriptionId}`,
          );
        }
        await deps.subscriptions.delete(sub.id);
        return reply.code(204).send();
      },
    );

    app.get<{ Querystring: { acknowledged?: 'true' | 'false'; limit?: string } }>(
      '/v1/alerts',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              acknowledged: { enum: ['true', 'false'] },
              limit: { type: 'string', pattern: '^(?:[1-9][0-9]{0,2}|1000)$' },
            },
          },
          response: {
            200: {
              type: 'object',
              required: ['alerts'],
              properties: { alerts: { type: 'array', items: { $ref: 'urn:pdx:schema:api:alert.v1' } } },
            },
            ...problems,
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const buyerId = buyerOf(principalOf(request));
        const { acknowledged } = request.query;
        const limit = Number(request.query.limit ?? 100);
        const filter: Record<string, string | boolean> = { buyerId };
        if (acknowledged !== undefined) filter.acknowledged = acknowledged === 'true';
        const alerts = await deps.alerts.find(filter, { sort: { field: 'createdMs', order: -1 }, limit });
        return { alerts: alerts.map(toAlertView) };
      },
    );
    app.post<{ Params: { alertId: string } }>(
      '/v1/alerts/:alertId/acknowledgement',
      {
        schema: {
          params: idParam('alertId'),
          response: {
            200: { $ref: 'urn:pdx:schema:api:alert.v1' },
            ...errorResponses('PDX_FORBIDDEN', 'PDX_ALERT_NOT_FOUND'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const buyerId = buyerOf(principalOf(request));
        const { alertId } = request.params;
        const context = { now: deps.clock.now() };
        const alert = await changeRecord(
          deps.alerts,
          alertId,
          (current) => decideAcknowledgement(current, { alertId, buyerId }, context),
          { expected: () => ({ acknowledged: false }) },
        );
        return toAlertView(alert);
      },
    );

    app.get<{ Querystring: { state?: DeliveryState } }>(
      '/v1/alert-deliveries',
      {
        schema: {
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { state: { enum: ['pending', 'delivered', 'dead', 'merged'] } },
          },
          response: {
            200: {
              type: 'object',
              required: ['deliveries'],
              properties: {
                deliveries: { type: 'array', items: { $ref: 'urn:pdx:schema:api:alert-delivery.v1' } },
              },
            },
            ...problems,
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const buyerId = buyerOf(principalOf(request));
        const filter: Record<string, string> = { buyerId };
        if (request.query.state !== undefined) filter.state = request.query.state;
        return { deliveries: (await deps.deliveries.find(filter, { limit: 1000 })).map(toDeliveryView) };
      },
    );
    app.post<{ Params: { deliveryId: string } }>(
      '/v1/alert-deliveries/:deliveryId/retry',
      {
        schema: {
          params: idParam('deliveryId'),
          response: {
            200: { $ref: 'urn:pdx:schema:api:alert-delivery.v1' },
            ...errorResponses('PDX_FORBIDDEN', 'PDX_DELIVERY_NOT_FOUND', 'PDX_REQUEST_INVALID'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request) => {
        const buyerId = buyerOf(principalOf(request));
        const { deliveryId } = request.params;
        const context = { now: deps.wallClock.now() };
        const delivery = await changeRecord(
          deps.deliveries,
          deliveryId,
          (current) => decideRetry(current, { deliveryId, buyerId }, context),
          { expected: (current) => ({ version: current.version }) },
        );
        return toDeliveryView(delivery);
      },
    );

    // Server-Sent Events: every alert after Last-Event-ID (however many), then new alerts as
    // they are made, here or (polled) on another replica; without Last-Event-ID, from now on.
    app.get<{ Headers: { 'last-event-id'?: string } }>(
      '/v1/alerts/stream',
      {
        schema: {
          headers: {
            type: 'object',
            properties: {
              'last-event-id': {
                description: 'The id of the last event received: the stream resumes after it.',
                type: 'string',
              },
            },
          },
          response: {
            200: {
              description:
                'Server-Sent Events: one `alert` event per new alert (its id resumes), and keep-alive comments.',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
            ...errorResponses('PDX_FORBIDDEN'),
          },
        },
        config: { access: 'authenticated' },
      },
      async (request, reply) => {
        const buyerId = buyerOf(principalOf(request));
        const position = parseLastEventId(request.headers['last-event-id']) ?? {
          createdMs: deps.wallClock.now(),
          alertId: '',
        };
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        res.write('retry: 2000\n\n');
        const session = new AlertStreamSession(
          {
            alerts: deps.alerts,
            feed: deps.feed,
            buyerId,
            onError: (error) => request.log.warn({ err: error, buyerId }, 'alert stream read failed'),
          },
          res,
          position,
        );
        const timer = setInterval(() => {
          session.keepAlive();
          void session.pull();
        }, deps.streamPollMs);
        // The response's close: the client went away (or the server is closing the socket).
        res.on('close', () => {
          clearInterval(timer);
          session.close();
        });
        session.start();
      },
    );
  };
}
