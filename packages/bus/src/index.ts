export { defaultHandlerRetry, deliver, type RawMessage } from './delivery.js';
export { type EmbeddedBusOptions, EmbeddedEventBus } from './embedded-bus.js';
export { BusError, type BusErrorCode } from './errors.js';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  type DeadLetter,
  type DeliveryMeta,
  deadLetterHeaders,
  type EventBus,
  type EventHandler,
  type EventPublisher,
  type EventSubscriber,
  type SubscribeOptions,
  type Subscription,
  type SubscriptionState,
} from './event-bus.js';
export { type KafkaBusOptions, KafkaEventBus } from './kafka-bus.js';
