// kafkajs logs every error response at error level and then retries it; the services' logs carry those
// at info, and kafkajs' fixed start-up notices at debug, so that error and warn mean "look at this".
import { describe, expect, it } from 'vitest';
import { logLevel } from 'kafkajs';
import { kafkaLogLevel } from '../src/logger.ts';

describe('kafkaLogLevel', () => {
  it('keeps a retried coordinator or leader change out of error', () => {
    for (const error of [
      "The coordinator is loading and hence can't process requests for this group",
      'The group coordinator is not available',
      'There is no leader for this topic-partition as we are in the middle of a leadership election',
      'This server does not host this topic-partition',
    ])
      expect(kafkaLogLevel(logLevel.ERROR, 'Response FindCoordinator(key: 10, version: 2)', { error }), error).toBe(
        'info',
      );
  });

  it("logs a group's rebalance at info, the heartbeat's answer and the re-join alike", () => {
    const error = 'The group is rebalancing, so a rejoin is needed';
    expect(kafkaLogLevel(logLevel.ERROR, 'Response Heartbeat(key: 12, version: 3)', { error })).toBe('info');
    expect(kafkaLogLevel(logLevel.WARN, 'The group is rebalancing, re-joining', { error })).toBe('info');
  });

  it('keeps what cannot be retried at error', () => {
    expect(
      kafkaLogLevel(logLevel.ERROR, 'Response Produce(key: 0, version: 7)', { error: 'Topic authorization failed' }),
    ).toBe('error');
    expect(kafkaLogLevel(logLevel.ERROR, 'Crash: KafkaJSNumberOfRetriesExceeded: …', {})).toBe('error');
    expect(kafkaLogLevel(logLevel.WARN, 'Failed to connect to seed broker, trying another broker', {})).toBe('warn');
  });

  it('puts the fixed start-up notices at debug', () => {
    expect(kafkaLogLevel(logLevel.WARN, 'KafkaJS v2.0.0 switched default partitioner. To retain the same …', {})).toBe(
      'debug',
    );
    expect(
      kafkaLogLevel(logLevel.WARN, 'Limiting retries for the idempotent producer may invalidate EoS guarantees', {}),
    ).toBe('debug');
  });
});
