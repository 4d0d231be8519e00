import { inject } from 'vitest';
import { alertsSuite } from './alerts.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

alertsSuite('embedded log and store', 1, embeddedTarget);

alertsSuite('Kafka and MongoDB wire protocol', 2, () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'certificates', 'alerts']),
);
