// Server-side HTML without a template engine: a tagged template that escapes every interpolated value
// unless it is already markup made by this module. Anything a user or the API supplied is text.

const SAFE = Symbol('safe-html');

export interface SafeHtml {
  readonly [SAFE]: true;
  readonly value: string;
}

/** Markup that is trusted as it stands (made by `html`, or a constant of the console's own). */
export function raw(value: string): SafeHtml {
  return { [SAFE]: true, value };
}

export function isSafe(v: unknown): v is SafeHtml {
  return typeof v === 'object' && v !== null && SAFE in v;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Part = SafeHtml | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  if (isSafe(part)) return part.value;
  return escapeHtml(String(part));
}

/** `html\`<p>${name}</p>\``: `name` is escaped; arrays are joined; null, undefined and false render nothing. */
export function html(strings: TemplateStringsArray, ...values: Part[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((v, i) => (out += render(v) + strings[i + 1]!));
  return raw(out);
}

/** JSON for a `<script type="application/json">` block: `<` is escaped so the data cannot end the block. */
export function jsonData(value: unknown): SafeHtml {
  return raw(JSON.stringify(value).replace(/</g, '\\u003c'));
}
