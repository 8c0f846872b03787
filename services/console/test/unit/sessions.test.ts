// The sealing of a session's alerter token: only the cookie value opens it, in the record it was sealed for.
import { describe, expect, it } from 'vitest';
import { openToken, randomToken, sealToken } from '../../src/sessions.ts';

const TOKEN = 'district-310113-secret-token-0123456789';
const KEY = 'wl:console:session:' + 'ab'.repeat(32);

describe('session token sealing (AES-256-GCM under HKDF of the cookie value)', () => {
  it('opens with the cookie value it was sealed under, and the sealed text holds nothing of the token', () => {
    const id = randomToken();
    const sealed = sealToken(TOKEN, id, KEY);
    expect(openToken(sealed, id, KEY)).toBe(TOKEN);
    expect(sealed).not.toContain(TOKEN);
    expect(sealed).not.toContain(Buffer.from(TOKEN).toString('base64url'));
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
  });

  it('seals the same token differently each time (a fresh IV)', () => {
    const id = randomToken();
    expect(sealToken(TOKEN, id, KEY)).not.toBe(sealToken(TOKEN, id, KEY));
  });

  it('does not open with another cookie value, under another record key, or after any change', () => {
    const id = randomToken();
    const sealed = sealToken(TOKEN, id, KEY);
    expect(openToken(sealed, randomToken(), KEY)).toBeNull();
    expect(openToken(sealed, id, KEY.replace('ab', 'cd'))).toBeNull();
    const [v, iv, body, tag] = sealed.split('.') as [string, string, string, string];
    const flipped = (part: string) => {
      const bytes = Buffer.from(part, 'base64url');
      bytes[0] = bytes[0]! ^ 1;
      return bytes.toString('base64url');
    };
    expect(openToken([v, flipped(iv), body, tag].join('.'), id, KEY)).toBeNull();
    expect(openToken([v, iv, flipped(body), tag].join('.'), id, KEY)).toBeNull();
    expect(openToken([v, iv, body, flipped(tag)].join('.'), id, KEY)).toBeNull();
    expect(openToken(['v0', iv, body, tag].join('.'), id, KEY)).toBeNull();
    expect(openToken('not sealed', id, KEY)).toBeNull();
  });
});
