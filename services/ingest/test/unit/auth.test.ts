import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAuthenticator, mayClaimFor } from '../../src/auth.ts';
import { ConfigSchema, toConfig } from '../../src/config.ts';

const base = { KAFKA_BROKERS: '127.0.0.1:9092', PSEUDONYM_KEY: 'k'.repeat(32) };

describe('bearer tokens', () => {
  const auth = createAuthenticator([
    { name: 'ruijin', token: 'hospital-token-0123456789', role: 'hospital', institutions: ['H1', 'H2'] },
    { token: 'registry-token-0123456789', role: 'registry' },
  ]);

  it('finds the principal of a known token, by name only', () => {
    const p = auth.authenticate('Bearer hospital-token-0123456789');
    expect(p?.name).toBe('ruijin');
    expect(JSON.stringify({ ...p, institutions: [...(p!.institutions as Set<string>)] })).not.toContain(
      'hospital-token',
    );
    expect(auth.authenticate('bearer  registry-token-0123456789 ')?.name).toBe('token-2');
  });

  it('refuses a missing, malformed or unknown token', () => {
    expect(auth.authenticate(undefined)).toBeNull();
    expect(auth.authenticate('hospital-token-0123456789')).toBeNull();
    expect(auth.authenticate('Basic aG9zcGl0YWw=')).toBeNull();
    expect(auth.authenticate('Bearer hospital-token-012345678')).toBeNull();
    expect(auth.authenticate('Bearer hospital-token-0123456789x')).toBeNull();
  });

  it('lets a hospital token claim only for its institutions', () => {
    const p = auth.authenticate('Bearer hospital-token-0123456789')!;
    expect(mayClaimFor(p, 'H1')).toBe(true);
    expect(mayClaimFor(p, 'H3')).toBe(false);
    expect(mayClaimFor(auth.authenticate('Bearer registry-token-0123456789')!, 'H1')).toBe(false);
    const any = createAuthenticator([{ token: 'platform-token-0123456789', role: 'hospital', institutions: ['*'] }]);
    expect(mayClaimFor(any.authenticate('Bearer platform-token-0123456789')!, 'H9')).toBe(true);
  });
});

describe('config', () => {
  it('has the documented defaults', () => {
    const c = toConfig(ConfigSchema.parse(base));
    expect(c).toMatchObject({
      RETENTION_MONTHS: 14,
      INGEST_MAX_BATCH: 1000,
      INGEST_KAFKA_INPUT: true,
      INGEST_CONSUMER_GROUP: 'warnline-ingest',
      INGEST_PUBLISH_TIMEOUT_MS: 10_000,
      tokens: [],
    });
    expect(toConfig(ConfigSchema.parse({ ...base, TOPIC_NAMESPACE: 't1.' })).INGEST_CONSUMER_GROUP).toBe(
      't1.warnline-ingest',
    );
  });

  it('reads INGEST_TOKENS and never quotes it in an error', () => {
    const tokens = [{ token: 'secret-token-0123456789', role: 'hospital', institutions: ['H1'] }];
    expect(toConfig(ConfigSchema.parse({ ...base, INGEST_TOKENS: JSON.stringify(tokens) })).tokens).toEqual(tokens);
    for (const bad of [
      '[{"token":"secret-token-0123456789",',
      JSON.stringify([{ token: 'secret-token-0123456789', role: 'hospital' }]),
      JSON.stringify([{ token: 'short-secret', role: 'registry' }]),
    ]) {
      const r = ConfigSchema.safeParse({ ...base, INGEST_TOKENS: bad });
      expect(r.success).toBe(false);
      expect(JSON.stringify(r.error?.issues.map((i) => i.message))).not.toMatch(/secret/);
    }
  });

  it('reads INGEST_TOKENS_FILE, and refuses it together with INGEST_TOKENS', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ingest-tokens-'));
    try {
      const file = join(dir, 'tokens.json');
      const tokens = [{ token: 'file-token-0123456789', role: 'registry' }];
      writeFileSync(file, JSON.stringify(tokens));
      expect(toConfig(ConfigSchema.parse({ ...base, INGEST_TOKENS_FILE: file })).tokens).toEqual(tokens);
      const inline = JSON.stringify([{ token: 'inline-token-0123456789', role: 'registry' }]);
      const both = ConfigSchema.safeParse({ ...base, INGEST_TOKENS: inline, INGEST_TOKENS_FILE: file });
      expect(both.success).toBe(false);
      expect(both.error?.issues.map((i) => i.message)).toContain('set INGEST_TOKENS or INGEST_TOKENS_FILE, not both');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
