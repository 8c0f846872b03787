// Bearer-token lists from the environment, read the same way by every service that has them: a JSON list
// in `<NAME>` or, to keep the secrets out of the environment, in the file `<NAME>_FILE` names (a mounted
// secret). Exactly one of the two may be set: when both are, which list is meant cannot be known, so the
// configuration is refused rather than guessed. Error messages never quote the input: it holds the secrets.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** What every token entry has: the secret, and the name logs and audits show instead of it. */
export interface TokenEntryBase {
  token: string;
  name?: string | undefined;
}

/** The secret of a token entry. At least 16 characters, so it cannot be guessed online. */
export const tokenSecret = z.string().min(16, 'token must be at least 16 characters').max(512);

/** The name of a token entry, shown in logs, audits and dead letters instead of the token. */
export const tokenName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'name must be 1-64 characters of [A-Za-z0-9._-]');

export interface TokenListSettings {
  /** The variable of the inline list, e.g. `INGEST_TOKENS`; the file variable is this name + `_FILE`. */
  variable: string;
  /** Value of `<variable>`: the JSON list, or undefined. */
  inline: string | undefined;
  /** Value of `<variable>_FILE`: a path, or undefined. */
  file: string | undefined;
}

/**
 * Reads one token list (see the header), reporting problems on `ctx` under the variable that holds the
 * bad value. Neither variable set, or an empty value, is an empty list. Every token may appear once, and
 * so may every name that is given.
 */
export function readTokenList<E extends TokenEntryBase>(
  entry: z.ZodType<E>,
  { variable, inline, file }: TokenListSettings,
  ctx: z.RefinementCtx,
): E[] {
  const fileVariable = `${variable}_FILE`;
  if (inline !== undefined && file !== undefined) {
    ctx.addIssue({ code: 'custom', path: [variable], message: `set ${variable} or ${fileVariable}, not both` });
    return [];
  }
  const where = file === undefined ? variable : fileVariable;
  let text = inline;
  if (file !== undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      ctx.addIssue({ code: 'custom', path: [where], message: 'the token file cannot be read' });
      return [];
    }
  }
  if (text === undefined || text.trim() === '') return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's own message quotes the text.
    ctx.addIssue({ code: 'custom', path: [where], message: 'not valid JSON' });
    return [];
  }
  const parsed = z.array(entry).superRefine(refuseRepeats).safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      ctx.addIssue({ code: 'custom', path: [where, ...issue.path.map(String)], message: issue.message });
    return [];
  }
  return parsed.data;
}

function refuseRepeats(list: readonly TokenEntryBase[], ctx: z.RefinementCtx): void {
  const tokens = new Set<string>();
  const names = new Set<string>();
  list.forEach((t, i) => {
    if (tokens.has(t.token))
      ctx.addIssue({ code: 'custom', path: [i, 'token'], message: 'the same token is listed twice' });
    if (t.name !== undefined && names.has(t.name))
      ctx.addIssue({ code: 'custom', path: [i, 'name'], message: 'the same name is listed twice' });
    tokens.add(t.token);
    if (t.name !== undefined) names.add(t.name);
  });
}
