import { describe, expect, it } from 'vitest';
import { createAuthenticator, mayAccessStreet } from '../../src/auth.ts';

const entries = [
  { name: 'st', token: 'street-token-0123456789', role: 'street', street: '310113103' },
  { name: 'qu', token: 'district-token-0123456789', role: 'district', district: '310113' },
  { name: 'ops', token: 'admin-token-0123456789', role: 'admin' },
] as const;

describe('authentication and scope', () => {
  const auth = createAuthenticator(entries);

  it('knows bearer tokens and Basic passwords, nothing else', () => {
    expect(auth.authenticate('Bearer street-token-0123456789')).toEqual({
      name: 'st',
      role: 'street',
      street: '310113103',
    });
    expect(auth.authenticate('bearer  admin-token-0123456789 ')).toEqual({ name: 'ops', role: 'admin' });
    expect(
      auth.authenticate(`Basic ${Buffer.from('anyone:district-token-0123456789').toString('base64')}`),
    ).toMatchObject({ name: 'qu' });
    for (const h of [
      undefined,
      '',
      'Bearer',
      'Bearer nope',
      'street-token-0123456789',
      'Basic !!!',
      `Basic ${Buffer.from('nocolon').toString('base64')}`,
    ]) {
      expect(auth.authenticate(h)).toBeNull();
    }
  });

  it('scopes a street to itself, a district to its streets, admin to all', () => {
    const [street, district, admin] = entries.map((e) => auth.authenticate(`Bearer ${e.token}`)!);
    expect(mayAccessStreet(street!, '310113103', '310113')).toBe(true);
    expect(mayAccessStreet(street!, '310113104', '310113')).toBe(false);
    expect(mayAccessStreet(district!, '310113104', '310113')).toBe(true);
    expect(mayAccessStreet(district!, '310115001', '310115')).toBe(false);
    expect(mayAccessStreet(admin!, '310115001', '310115')).toBe(true);
  });
});
