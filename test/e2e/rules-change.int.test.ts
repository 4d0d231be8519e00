import { inject } from 'vitest';
import { rulesChangeSuite } from './rules-change.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

rulesChangeSuite('embedded log and store', embeddedTarget);

rulesChangeSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'review', 'ledger']),
);
