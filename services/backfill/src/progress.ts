// The progress line on standard error: records, records per second, share of the bytes and the time left.
// Only on a terminal: a load run by a script or a supervisor gets its summary at the end and no noise.

export interface Progress {
  update(records: number, doneBytes: number): void;
  finish(): void;
}

const REDRAW_MS = 250;

export function createProgress(options: {
  enabled: boolean;
  totalBytes: number;
  write: (text: string) => void;
  now?: () => number;
}): Progress {
  const now = options.now ?? (() => performance.now());
  const started = now();
  let last = -Infinity;
  let shown = false;
  const draw = (records: number, doneBytes: number) => {
    const seconds = Math.max((now() - started) / 1000, 0.001);
    const rate = records / seconds;
    const share = options.totalBytes > 0 ? Math.min(doneBytes / options.totalBytes, 1) : 1;
    const eta = share > 0 ? (seconds / share) * (1 - share) : Infinity;
    const width = 30;
    const filled = Math.round(share * width);
    options.write(
      `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(share * 100).toFixed(1)}% ` +
        `${records} records ${Math.round(rate)}/s ETA ${formatSeconds(eta)}   `,
    );
    shown = true;
  };
  return {
    update(records, doneBytes) {
      if (!options.enabled) return;
      const t = now();
      if (t - last < REDRAW_MS) return;
      last = t;
      draw(records, doneBytes);
    },
    finish() {
      if (shown) options.write('\n');
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const mmss = `${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
