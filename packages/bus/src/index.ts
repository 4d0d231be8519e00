export { defaultHandlerRetry, deliver, type RawMessage } from './delivery.js';
export { EmbeddedEventBus, type EmbeddedBusOptions } from './embedded-bus.js';
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
} from './event-bus.js';
export { KafkaEventBus, type KafkaBusOptions } from './kafka-bus.js';
