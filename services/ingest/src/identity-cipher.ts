// Identity numbers at rest: AES-256-GCM with a random 96-bit IV per record and the 128-bit tag, under a key
// named by its id. A record carries the id of the key that sealed it, so keys can be rotated: new records
// use the current key, older ones stay readable as long as their key is still configured. The pseudonym is
// the additional authenticated data: a record copied under another pseudonym's key fails to open.
import { createCipheriv, createDecipheriv, randomFillSync } from 'node:crypto';
import { serviceError } from '@warnline/contracts';
import type { PersonIdType } from './pseudonym.ts';

/** The identity behind a pseudonym: its type and its number (resident numbers canonical, upper-case X). */
export interface PersonIdentity {
  personIdType: PersonIdType;
  personId: string;
}

export interface IdentityCipher {
  /** `<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts) of the identity, bound to the pseudonym. */
  seal(pseudonym: string, identity: PersonIdentity): string;
  /** The identity of a sealed record; throws IDENTITY_UNREADABLE on a tampered record or an unknown key id. */
  open(pseudonym: string, sealed: string): PersonIdentity;
}

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const TYPES: ReadonlySet<string> = new Set<PersonIdType>(['resident', 'passport', 'other']);

/**
 * Random IVs from a pool filled 4096 IVs at a time: one randomBytes call per record costs more than the
 * encryption itself. Every IV is still fresh random bytes, used once (the pool is refilled, never reread).
 */
function ivSource(): () => Buffer {
  const pool = Buffer.alloc(IV_BYTES * 4096);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    const iv = Buffer.from(pool.subarray(next, next + IV_BYTES));
    next += IV_BYTES;
    return iv;
  };
}

/** `keys`: key id → 32-byte key; `currentKeyId` seals new records and must be one of them. */
export function createIdentityCipher(keys: ReadonlyMap<string, Buffer>, currentKeyId: string): IdentityCipher {
  const current = keys.get(currentKeyId);
  if (current === undefined) throw new Error(`the current identity key id ${currentKeyId} is not configured`);
  for (const [id, key] of keys) {
    if (!KEY_ID.test(id)) throw new Error(`identity key id ${id} is not 1-32 characters of [A-Za-z0-9_-]`);
    if (key.length !== 32) throw new Error(`identity key ${id} is not 32 bytes`);
  }
  const unreadable = (message: string) => serviceError('IDENTITY_UNREADABLE', { message });
  const freshIv = ivSource();

  return {
    seal(pseudonym, identity) {
      const iv = freshIv();
      const cipher = createCipheriv('aes-256-gcm', current, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(pseudonym, 'utf8'));
      const plain = JSON.stringify({ t: identity.personIdType, id: identity.personId });
      const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return `${currentKeyId}.${iv.toString('base64url')}.${tag.toString('base64url')}.${ciphertext.toString('base64url')}`;
    },

    open(pseudonym, sealed) {
      const parts = sealed.split('.');
      if (parts.length !== 4) throw unreadable('an identity record is not of the form keyId.iv.tag.ciphertext');
      const [keyId, ivText, tagText, bodyText] = parts as [string, string, string, string];
      const key = keys.get(keyId);
      if (key === undefined) throw unreadable(`an identity record names key id ${keyId}, which is not configured`);
      const iv = Buffer.from(ivText, 'base64url');
      const tag = Buffer.from(tagText, 'base64url');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
        throw unreadable('an identity record has a bad IV or tag');
      let plain: string;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(pseudonym, 'utf8'));
        decipher.setAuthTag(tag);
        plain = Buffer.concat([decipher.update(Buffer.from(bodyText, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw unreadable('an identity record failed its authentication');
      }
      const parsed = JSON.parse(plain) as { t?: unknown; id?: unknown };
      if (typeof parsed.t !== 'string' || !TYPES.has(parsed.t) || typeof parsed.id !== 'string')
        throw unreadable('an identity record holds no identity');
      return { personIdType: parsed.t as PersonIdType, personId: parsed.id };
    },
  };
}

/**
 * `keyId:base64key` entries, comma-separated (IDENTITY_KEYS), to the key map; problems as messages that
 * never quote a key.
 */
export function parseIdentityKeys(text: string): { keys: Map<string, Buffer>; problems: string[] } {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const key = Buffer.from(entry.slice(colon + 1), 'base64');
    if (!KEY_ID.test(id)) problems.push(`entry ${i + 1} has no key id of 1-32 characters of [A-Za-z0-9_-]`);
    else if (key.length !== 32) problems.push(`key ${id} is not 32 bytes of base64`);
    else if (keys.has(id)) problems.push(`key id ${id} is listed twice`);
    else keys.set(id, key);
  });
  if (entries.length === 0) problems.push('no key is listed');
  return { keys, problems };
}
