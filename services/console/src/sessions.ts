// Sessions: a random id in an httpOnly cookie, and the token it stands for kept server-side in Redis with a
// time to live equal to the idle timeout, renewed by every request. Redis holds only a hash of the id, so a
// copy of Redis does not hold live cookies.
import { createHash, randomBytes } from 'node:crypto';
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

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export class SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly idleSeconds: number,
  ) {}

  private key(id: string): string {
    return `${this.prefix}:console:session:${createHash('sha256').update(id).digest('hex')}`;
  }

  /** Starts a session and returns its id (the cookie value). */
  async create(token: string, principal: Principal, now: Date): Promise<string> {
    const id = randomToken();
    const session: Session = { token, principal, csrf: randomToken(), createdAt: now.toISOString() };
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.idleSeconds);
    return id;
  }

  /** The session of a cookie, its idle time restarted; null when unknown or expired. */
  async touch(id: string | undefined): Promise<Session | null> {
    if (!id || id.length > 128) return null;
    const value = await this.redis.getex(this.key(id), 'EX', this.idleSeconds);
    if (value === null) return null;
    try {
      return JSON.parse(value) as Session;
    } catch {
      return null;
    }
  }

  async destroy(id: string | undefined): Promise<void> {
    if (id) await this.redis.del(this.key(id));
  }
}
