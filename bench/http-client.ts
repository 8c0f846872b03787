// A lean HTTP client for the load generator: node:http with keep-alive sockets. It runs on the same two
// cores as the service it measures, so it should cost as little CPU per request as possible (fetch/undici
// costs noticeably more per call).
import { Agent, request } from 'node:http';

export interface PostResult {
  status: number;
  body: string;
  /** Epoch milliseconds (fractional) when the answer's last byte arrived. */
  answeredAt: number;
}

export function createPoster(baseUrl: string, token: string, maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const url = new URL(baseUrl);
  return {
    post(path: string, body: string): Promise<PostResult> {
      return new Promise((resolve, reject) => {
        const req = request(
          {
            agent,
            host: url.hostname,
            port: url.port,
            path,
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${token}`,
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                body: Buffer.concat(chunks).toString(),
                answeredAt: performance.timeOrigin + performance.now(),
              }),
            );
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Accepted items of a 202 answer; throws on anything else, quoting the status and the start of the body. */
export function acceptedOf(result: PostResult): number {
  if (result.status !== 202) throw new Error(`ingest answered ${result.status}: ${result.body.slice(0, 300)}`);
  const parsed = JSON.parse(result.body) as { accepted: number; rejected: unknown[] };
  if (parsed.rejected.length > 0)
    throw new Error(
      `ingest rejected ${parsed.rejected.length} item(s): ${JSON.stringify(parsed.rejected[0]).slice(0, 300)}`,
    );
  return parsed.accepted;
}

/** One GET with a bearer token on a fresh socket: the dashboard phase times single requests. */
export function get(baseUrl: string, path: string, token: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: `Bearer ${token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
