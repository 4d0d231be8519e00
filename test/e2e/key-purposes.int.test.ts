import { inject } from 'vitest';
import { keyPurposesSuite } from './key-purposes.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

keyPurposesSuite('embedded log and store', embeddedTarget);

keyPurposesSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'directory']),
);
