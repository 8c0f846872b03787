// Sessions: a random id in an httpOnly cookie, and the token it stands for kept server-side in Redis with a
// time to live equal to the idle timeout, renewed by every request. Redis holds only a hash of the id, and
// the alerter token sealed (AES-256-GCM) under a key derived from the id (HKDF-SHA-256): a copy of Redis
// holds neither live cookies nor tokens; only the browser that holds the cookie can open its own session.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Principal } from './alerter-client.ts';

export interface Session {
  /** The alerter token the user signed in with; sent only to the alerter, never to the browser. */
  token: string;
  principal: Principal;
  /** The token every form of this session carries (checked on every POST). */
  csrf: string;
  createdAt: string;
}

/** What Redis keeps of a session: everything but the token, which is sealed. */
interface StoredSession extends Omit<Session, 'token'> {
  /** `v1.<iv>.<ciphertext>.<tag>`, base64url parts. */
  sealedToken: string;
}

const SEAL_INFO = Buffer.from('warnline console session token v1');
const SEAL_VERSION = 'v1';

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The sealing key of a session: HKDF-SHA-256 of the cookie value, salted with the key's hash (its name). */
function sealKey(sessionId: string, keyName: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionId, keyName, SEAL_INFO, 32));
}

/**
 * Seals the token under the session id. The Redis key name is the additional data, so a sealed token moved
 * to another session's record does not open.
 */
export function sealToken(token: string, sessionId: string, keyName: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(sessionId, keyName), iv);
  cipher.setAAD(Buffer.from(keyName));
  const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
  return [SEAL_VERSION, iv, body, cipher.getAuthTag()]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The token of a sealed value; null when the id, the key name or the value is not the one it was sealed with. */
export function openToken(sealed: string, sessionId: string, keyName: string): string | null {
  const [version, iv, body, tag] = sealed.split('.');
  if (version !== SEAL_VERSION || iv === undefined || body === undefined || tag === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(sessionId, keyName), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyName));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return null;
  }
}

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleSeconds: number,
  ) {}

  /** The Redis key of a session id: a hash of the id, never the id. */
  key(id: string): string {
    return `${this.prefix}:console:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  /** Starts a session and returns its id (the cookie value). */
  async create(token: string, principal: Principal, now: Date): Promise<string> {
    const id = randomToken();
    const key = this.key(id);
    const stored: StoredSession = {
      sealedToken: sealToken(token, id, key),
      principal,
      csrf: randomToken(),
      createdAt: now.toISOString(),
    };
    await this.redis.set(key, JSON.stringify(stored), 'EX', this.idleSeconds);
    return id;
  }

  /** The session of a cookie, its idle time restarted; null when unknown, expired or not openable. */
  async touch(id: string | undefined): Promise<Session | null> {
    if (!id || id.length > 128) return null;
    const key = this.key(id);
    const value = await this.redis.getex(key, 'EX', this.idleSeconds);
    if (value === null) return null;
    let stored: StoredSession;
    try {
      stored = JSON.parse(value) as StoredSession;
    } catch {
      return null;
    }
    // A record of the plain-token format, or one that does not open, is no session: sign in again.
    if (typeof stored.sealedToken !== 'string') return null;
    const token = openToken(stored.sealedToken, id, key);
    if (token === null) return null;
    const { sealedToken: _sealed, ...rest } = stored;
    return { ...rest, token };
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.key(id));
  }
}
