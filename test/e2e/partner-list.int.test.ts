import { inject } from 'vitest';
import { partnerListSuite } from './partner-list.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

partnerListSuite('embedded log and store', embeddedTarget);

partnerListSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'review']),
);
