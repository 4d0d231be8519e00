import { inject } from 'vitest';
import { certificateSliceSuite } from './certificate-slice.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

certificateSliceSuite('embedded log and store', embeddedTarget);

certificateSliceSuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'directory']),
);
