import { inject } from 'vitest';
import { ledgerSuite } from './ledger.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

ledgerSuite('embedded log and store', embeddedTarget);

ledgerSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'review', 'ledger']),
);
