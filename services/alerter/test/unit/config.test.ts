import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/config.ts';

const base = { REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('alerter configuration', () => {
  it('defaults to 48 hours to acknowledge and 15 days to close', () => {
    const c = ConfigSchema.parse(base);
    expect(c.ALERT_ACK_WITHIN_SECONDS).toBe(172_800);
    expect(c.ALERT_CLOSE_WITHIN_SECONDS).toBe(1_296_000);
    expect(c.tokens).toEqual([]);
    expect(c.ALERTER_STREETS).toEqual([]);
    expect(c.QUEUE_PREFIX).toBe('warnline');
  });

  it('parses scoped tokens and never quotes a secret in its errors', () => {
    const tokens = [{ name: 'st', token: 'street-token-0123456789', role: 'street', street: '310113103' }];
    expect(ConfigSchema.parse({ ...base, ALERTER_TOKENS: JSON.stringify(tokens) }).tokens).toEqual(tokens);
    const secret = 'short-secret';
    const bad = ConfigSchema.safeParse({
      ...base,
      ALERTER_TOKENS: JSON.stringify([{ name: 'st', token: secret, role: 'street', street: '31' }]),
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).not.toContain(secret);
    const notJson = ConfigSchema.safeParse({ ...base, ALERTER_TOKENS: `{${secret}` });
    expect(JSON.stringify(notJson.error?.issues)).not.toContain(secret);
  });

  it('refuses a close limit shorter than the acknowledge limit, and malformed street lists', () => {
    expect(
      ConfigSchema.safeParse({ ...base, ALERT_ACK_WITHIN_SECONDS: '10', ALERT_CLOSE_WITHIN_SECONDS: '5' }).success,
    ).toBe(false);
    expect(ConfigSchema.safeParse({ ...base, ALERTER_STREETS: '310113103,abc' }).success).toBe(false);
    expect(ConfigSchema.parse({ ...base, ALERTER_STREETS: ' 310113103, 310113104 ' }).ALERTER_STREETS).toEqual([
      '310113103',
      '310113104',
    ]);
  });
});
