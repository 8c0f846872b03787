// A CSV export of the alerter's (`…/alerts.csv`), passed through to the browser as a download with the
// signed-in user's own token: the file is exactly what the alerter answers for that token's scope, and the
// alerter's refusals become the page's (403, 404, 503) like any other call.
import { AlerterError, type AlerterSettings } from './alerter-client.ts';
import type { PageResult } from './pages/page.ts';

/** The name the alerter gave the file, reduced to characters safe in a header; `fallback` without one. */
export function downloadName(contentDisposition: string | null, fallback: string): string {
  const named = /filename="?([^";]+)"?/.exec(contentDisposition ?? '')?.[1] ?? fallback;
  const safe = named.replace(/[^A-Za-z0-9._-]/g, '_');
  return safe === '' ? fallback : safe;
}

/** GETs `path` (with its query) from the alerter and answers it as a file download. */
export async function csvDownload(
  { baseUrl, timeoutMs }: AlerterSettings,
  token: string,
  path: string,
  fallbackName = 'alerts.csv',
): Promise<PageResult> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}${path}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw new AlerterError(503, 'UNAVAILABLE', `the alerter did not answer: ${(err as Error).message}`);
  }
  if (!res.ok) {
    let code = 'INTERNAL';
    try {
      code = String(((await res.json()) as { code?: unknown }).code ?? code);
    } catch {
      // Not the alerter's JSON error body (a proxy's page): keep INTERNAL.
    }
    throw new AlerterError(res.status, code, `the alerter answered ${res.status} ${code}`);
  }
  return {
    kind: 'file',
    contentType: res.headers.get('content-type') ?? 'text/csv; charset=utf-8',
    filename: downloadName(res.headers.get('content-disposition'), fallbackName),
    body: Buffer.from(await res.arrayBuffer()),
  };
}
