import { inject } from 'vitest';
import { keyCompromiseSuite } from './key-compromise.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

keyCompromiseSuite('embedded log and store', embeddedTarget);

keyCompromiseSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'directory', 'review']),
);
