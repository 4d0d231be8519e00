import { inject } from 'vitest';
import { supplyChainReplaySuite } from './supply-chain-replay.js';
import { embeddedTarget, kafkaMongoTarget } from './targets.js';

supplyChainReplaySuite('Kafka and MongoDB wire protocol', () =>
  kafkaMongoTarget(inject('kafkaBrokers'), inject('mongodbUri'), ['intake', 'review']),
);

supplyChainReplaySuite('embedded log and store', embeddedTarget);
