// A progress bar on stderr (stdout stays for the table). On a terminal it redraws one line at most ten times
// a second; in a log (CI) it writes a line every 10%, so a run stays readable without a terminal.

export interface Progress {
  /** Adds `n` units done. */
  tick(n?: number): void;
  /** Sets the total once it is known (a generator of unknown length). */
  setTotal(total: number): void;
  /** Ends the bar with its final count and rate. */
  done(note?: string): void;
}

const WIDTH = 28;

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  const started = performance.now();
  const tty = stream.isTTY === true;
  let count = 0;
  let lastDraw = 0;
  let lastDecile = -1;
  let finished = false;
  let lastLoggedCount = -1;

  const line = () => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? count / seconds : 0;
    const share = total > 0 ? Math.min(1, count / total) : 0;
    const filled = Math.round(share * WIDTH);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}`;
    return `[bench] ${label.padEnd(22)} ${bar} ${(share * 100).toFixed(0).padStart(3)}% ${count.toLocaleString('en')}/${total.toLocaleString('en')} ${formatRate(rate)} ${seconds.toFixed(1)}s`;
  };
  const draw = (force: boolean) => {
    const now = performance.now();
    if (tty) {
      if (!force && now - lastDraw < 100) return;
      lastDraw = now;
      stream.write(`\r${line()}\x1b[K`);
      return;
    }
    const decile = total > 0 ? Math.floor((count / total) * 10) : 0;
    if (force || decile > lastDecile) {
      lastDecile = decile;
      lastLoggedCount = count;
      stream.write(`${line()}\n`);
    }
  };

  return {
    tick(n = 1) {
      count += n;
      draw(false);
    },
    setTotal(t) {
      total = t;
    },
    done(note) {
      if (finished) return;
      finished = true;
      if (tty) stream.write(`\r${line()}${note ? `  ${note}` : ''}\x1b[K\n`);
      // In a log, the last line already written may say all there is to say.
      else if (note || count !== lastLoggedCount) stream.write(`${line()}${note ? `  ${note}` : ''}\n`);
    },
  };
}

export function formatRate(perSecond: number): string {
  if (perSecond >= 10_000) return `${(perSecond / 1000).toFixed(1)}k/s`;
  return `${perSecond.toFixed(0)}/s`;
}
