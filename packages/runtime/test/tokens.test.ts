// The token-list settings and the bearer check every HTTP service shares.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bearerToken, createTokenMatcher, readTokenList, tokenName, tokenSecret } from '../src/index.ts';

const Entry = z.object({ name: tokenName.optional(), token: tokenSecret, role: z.enum(['a', 'b']) });

/** Parses the two settings like a service's config.ts does, returning the list or the issues. */
function parse(inline: string | undefined, file: string | undefined) {
  return z
    .object({ X_TOKENS: z.string().optional(), X_TOKENS_FILE: z.string().optional() })
    .transform((env, ctx) =>
      readTokenList(Entry, { variable: 'X_TOKENS', inline: env.X_TOKENS, file: env.X_TOKENS_FILE }, ctx),
    )
    .safeParse({ X_TOKENS: inline, X_TOKENS_FILE: file });
}

const dir = mkdtempSync(join(tmpdir(), 'tokens-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTokenList', () => {
  const list = [{ name: 'one', token: 'first-secret-0123456789', role: 'a' }];

  it('reads the list from the variable or from the file it names, and nothing from neither', () => {
    const file = join(dir, 'list.json');
    writeFileSync(file, JSON.stringify(list));
    expect(parse(JSON.stringify(list), undefined).data).toEqual(list);
    expect(parse(undefined, file).data).toEqual(list);
    expect(parse(undefined, undefined).data).toEqual([]);
    expect(parse('  ', undefined).data).toEqual([]);
  });

  it('refuses both variables at once, naming them', () => {
    const file = join(dir, 'both.json');
    writeFileSync(file, JSON.stringify(list));
    const r = parse(JSON.stringify(list), file);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({ path: ['X_TOKENS'], message: 'set X_TOKENS or X_TOKENS_FILE, not both' }),
    ]);
  });

  it('reports a bad value under the variable that holds it and never quotes a secret', () => {
    const secret = 'short-secret';
    const missing = parse(undefined, join(dir, 'absent.json'));
    expect(missing.error?.issues[0]).toMatchObject({
      path: ['X_TOKENS_FILE'],
      message: 'the token file cannot be read',
    });
    const notJson = parse(`[{"token":"${secret}`, undefined);
    expect(notJson.error?.issues[0]).toMatchObject({ path: ['X_TOKENS'], message: 'not valid JSON' });
    const short = parse(JSON.stringify([{ token: secret, role: 'a' }]), undefined);
    expect(short.error?.issues[0]?.path).toEqual(['X_TOKENS', '0', 'token']);
    for (const r of [missing, notJson, short]) expect(JSON.stringify(r.error?.issues)).not.toContain(secret);
  });

  it('refuses a token or a name listed twice', () => {
    const repeatedToken = parse(
      JSON.stringify([
        { token: 'same-secret-0123456789', role: 'a' },
        { token: 'same-secret-0123456789', role: 'b' },
      ]),
      undefined,
    );
    expect(repeatedToken.error?.issues.map((i) => i.message)).toEqual(['the same token is listed twice']);
    const repeatedName = parse(
      JSON.stringify([
        { name: 'n', token: 'first-secret-0123456789', role: 'a' },
        { name: 'n', token: 'other-secret-0123456789', role: 'a' },
      ]),
      undefined,
    );
    expect(repeatedName.error?.issues.map((i) => i.message)).toEqual(['the same name is listed twice']);
  });
});

describe('bearer check', () => {
  it('takes the token of a Bearer header, case-insensitively, and nothing else', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer \t abc ')).toBe('abc');
    for (const h of [undefined, '', 'Bearer', 'Bearer a b', 'abc', 'Basic YTpi']) expect(bearerToken(h)).toBeNull();
  });

  it('matches a known token to its principal and refuses the rest', () => {
    const matcher = createTokenMatcher([
      { token: 'first-secret-0123456789', principal: 'first' },
      { token: 'other-secret-0123456789', principal: 'other' },
    ]);
    expect(matcher.size).toBe(2);
    expect(matcher.match('other-secret-0123456789')).toBe('other');
    expect(matcher.match('other-secret-012345678')).toBeNull();
    expect(matcher.match(null)).toBeNull();
    expect(matcher.match('')).toBeNull();
    expect(createTokenMatcher([]).match('first-secret-0123456789')).toBeNull();
  });
});
