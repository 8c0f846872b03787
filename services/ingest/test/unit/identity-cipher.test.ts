// The sealing of identity numbers at rest: a round trip, a fresh IV per record, refusal of every tampered
// part, of a record moved to another pseudonym and of an unknown key id; rotation keeps old records readable.
import { describe, expect, it } from 'vitest';
import { CodedError } from '@warnline/contracts';
import { createIdentityCipher, parseIdentityKeys } from '../../src/identity-cipher.ts';

const k1 = Buffer.alloc(32, 1);
const k2 = Buffer.alloc(32, 2);
const identity = { personIdType: 'resident' as const, personId: '31011519600101001X' };
const P = `p_${'a'.repeat(32)}`;
const Q = `p_${'b'.repeat(32)}`;

function refused(open: () => unknown): CodedError {
  try {
    open();
  } catch (err) {
    expect(err).toBeInstanceOf(CodedError);
    return err as CodedError;
  }
  throw new Error('the record was opened');
}

/** The sealed record with one base64url part changed in its first character. */
function tampered(sealed: string, part: number): string {
  const parts = sealed.split('.');
  const text = parts[part]!;
  parts[part] = (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
  return parts.join('.');
}

describe('identity cipher', () => {
  const cipher = createIdentityCipher(new Map([['k1', k1]]), 'k1');

  it('opens what it sealed, and never holds the number in the clear', () => {
    const sealed = cipher.seal(P, identity);
    expect(sealed).not.toContain(identity.personId);
    expect(sealed.startsWith('k1.')).toBe(true);
    expect(cipher.open(P, sealed)).toEqual(identity);
    expect(cipher.open(P, cipher.seal(P, { personIdType: 'passport', personId: 'E1234567' }))).toEqual({
      personIdType: 'passport',
      personId: 'E1234567',
    });
  });

  it('uses a fresh 96-bit IV for every record', () => {
    const a = cipher.seal(P, identity).split('.');
    const b = cipher.seal(P, identity).split('.');
    expect(Buffer.from(a[1]!, 'base64url')).toHaveLength(12);
    expect(a[1]).not.toBe(b[1]);
    expect(a[3]).not.toBe(b[3]);
  });

  it('refuses a tampered IV, tag or ciphertext, and a record moved to another pseudonym', () => {
    const sealed = cipher.seal(P, identity);
    for (const part of [1, 2, 3]) {
      expect(refused(() => cipher.open(P, tampered(sealed, part)))).toMatchObject({
        code: 'IDENTITY_UNREADABLE',
        retriable: false,
      });
    }
    expect(refused(() => cipher.open(Q, sealed)).code).toBe('IDENTITY_UNREADABLE');
    expect(refused(() => cipher.open(P, 'not a record')).code).toBe('IDENTITY_UNREADABLE');
    expect(refused(() => cipher.open(P, sealed.split('.').slice(0, 3).join('.'))).code).toBe('IDENTITY_UNREADABLE');
  });

  it('refuses a record of a key id that is not configured, quoting no key', () => {
    const other = createIdentityCipher(new Map([['k9', k2]]), 'k9');
    const err = refused(() => cipher.open(P, other.seal(P, identity)));
    expect(err.message).toContain('k9');
    expect(err.message).not.toContain(k2.toString('base64'));
  });

  it('keeps records of a retired key readable after the current key id changes', () => {
    const old = cipher.seal(P, identity);
    const rotated = createIdentityCipher(
      new Map([
        ['k1', k1],
        ['k2', k2],
      ]),
      'k2',
    );
    expect(rotated.open(P, old)).toEqual(identity);
    const fresh = rotated.seal(P, identity);
    expect(fresh.startsWith('k2.')).toBe(true);
    // The same id under another key is another key: a record of k2 does not open with k1's bytes.
    expect(refused(() => createIdentityCipher(new Map([['k2', k1]]), 'k2').open(P, fresh)).code).toBe(
      'IDENTITY_UNREADABLE',
    );
  });

  it('refuses a current key id that is not configured, and keys that are not 32 bytes', () => {
    expect(() => createIdentityCipher(new Map([['k1', k1]]), 'k2')).toThrow(/k2/);
    expect(() => createIdentityCipher(new Map([['k1', Buffer.alloc(16)]]), 'k1')).toThrow(/32 bytes/);
  });

  it('parses IDENTITY_KEYS and names each problem without quoting a key', () => {
    const text = `k1:${k1.toString('base64')}, k2:${k2.toString('base64')}`;
    const { keys, problems } = parseIdentityKeys(text);
    expect(problems).toEqual([]);
    expect([...keys.keys()]).toEqual(['k1', 'k2']);
    expect(keys.get('k2')).toEqual(k2);
    const bad = parseIdentityKeys(
      `k1:${k1.toString('base64')},k1:${k2.toString('base64')},short:AAAA,:${k1.toString('base64')}`,
    );
    expect(bad.problems).toEqual([
      'key id k1 is listed twice',
      'key short is not 32 bytes of base64',
      'entry 4 has no key id of 1-32 characters of [A-Za-z0-9_-]',
    ]);
    expect(bad.problems.join(' ')).not.toContain(k2.toString('base64'));
    expect(parseIdentityKeys(' ').problems).toEqual(['no key is listed']);
  });
});
