// SIGTERM/SIGINT: stop taking work, drain, close clients in order, exit 0. A second signal or a drain
// that takes longer than the grace period exits 1, so an orchestrator never waits forever.
import type { Logger } from 'pino';

export type Closer = { name: string; close: () => Promise<unknown> };

export interface Shutdown {
  /** True once a signal started the shutdown: failures of clients being closed are expected from then on. */
  readonly closing: boolean;
}

export function closeOnSignals(log: Logger, closers: Closer[], graceMs = 15_000): Shutdown {
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) {
      log.warn({ signal }, 'second signal during shutdown: exiting now');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      log.error({ graceMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, graceMs);
    timer.unref();
    void (async () => {
      for (const closer of closers) {
        try {
          await closer.close();
        } catch (err) {
          log.warn({ err, closer: closer.name }, 'error while closing');
        }
      }
      log.info('closed cleanly');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return {
    get closing() {
      return closing;
    },
  };
}
