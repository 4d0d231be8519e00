import { inject } from 'vitest';
import { alertStreamSuite } from './alerts-stream.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

// About 10 MB behind Last-Event-ID either way: more than the kernel's socket buffers hold.
alertStreamSuite('embedded log and store', embeddedTarget, { count: 5_000, padBytes: 2_000 });

alertStreamSuite(
  'Kafka and MongoDB wire protocol',
  () => kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'alerts']),
  { count: 500, padBytes: 20_000 },
);
