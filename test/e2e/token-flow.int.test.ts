import { inject } from 'vitest';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';
import { tokenFlowSuite } from './token-flow.js';

tokenFlowSuite('embedded log and store', embeddedTarget);

tokenFlowSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'directory']),
);
