// How figures of the API are written on screen. Amounts stay the API's decimal strings (no float on the
// way), a ratio becomes a percentage by moving its decimal point, instants are shown in Shanghai time.

/** `"0.4333"` → `"43.33%"`, exactly (string arithmetic, no float). */
export function percent(ratio: string): string {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(ratio);
  if (!m) return ratio;
  const fraction = (m[2] ?? '').padEnd(2, '0');
  const whole = String(Number(m[1]! + fraction.slice(0, 2)));
  const rest = fraction.slice(2).replace(/0+$/, '');
  return `${whole}${rest ? `.${rest}` : ''}%`;
}

/** `"1234567.50"` → `"1,234,567.50"`: grouping only, the digits are the API's. */
export function yuan(amount: string): string {
  const [whole, fraction] = amount.split('.');
  const grouped = (whole ?? '').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

const SHANGHAI = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/** An instant as `YYYY-MM-DD HH:mm` in Shanghai time (the calendar of the whole product). */
export function shanghaiTime(instant: string | null): string {
  if (instant === null) return '—';
  const ms = Date.parse(instant);
  return Number.isNaN(ms) ? instant : SHANGHAI.format(new Date(ms));
}
