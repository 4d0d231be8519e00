import { inject } from 'vitest';
import { partySliceSuite } from './party-slice.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

partySliceSuite('embedded log and store', embeddedTarget);

partySliceSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'directory']),
);
