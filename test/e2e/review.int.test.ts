import { inject } from 'vitest';
import { reviewSuite } from './review.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

reviewSuite('embedded log and store', embeddedTarget);

reviewSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'review']),
);
