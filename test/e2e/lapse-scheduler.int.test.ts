import { inject } from 'vitest';
import { lapseSchedulerSuite } from './lapse-scheduler.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

lapseSchedulerSuite('embedded log and store', 1, embeddedTarget);

lapseSchedulerSuite('Kafka and MongoDB wire protocol', 2, () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'certificates']),
);
