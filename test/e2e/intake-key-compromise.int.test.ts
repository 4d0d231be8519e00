import { inject } from 'vitest';
import { intakeKeyCompromiseSuite } from './intake-key-compromise.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

intakeKeyCompromiseSuite('embedded log and store', embeddedTarget);

intakeKeyCompromiseSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake']),
);
