// Starts warnline processes as separate Node processes (as in production), captures their output, waits
// until they are ready, and stops them with SIGTERM. The one spawner of the end-to-end and integration
// tests, the benchmark and the demo.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * How a warnline process is started. kafkajs 2.2.4 schedules a timer with a negative delay on Node ≥ 24
 * (tulios/kafkajs#1751; Node clamps it to 1 ms, nothing else happens), so that one warning is silenced.
 */
export const SERVICE_NODE_FLAGS = ['--disable-warning=TimeoutNegativeWarning', '--import', 'tsx'];

/** How much of a process's output an error quotes. */
const OUTPUT_TAIL = 3000;

export interface RunningProcess {
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after the timeout, default 20000 ms). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: a crash, for tests that prove nothing is lost. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Names the process in errors. */
  label: string;
  /** The TypeScript or JavaScript file to run, absolute or relative to the repository root. */
  script: string;
  /** The whole environment of the process, besides PATH and HOME. */
  env: Record<string, string>;
  /** Resolves true once the process is ready; probed every 200 ms with its output so far. */
  ready: (output: string) => Promise<boolean> | boolean;
  /** Give up (and kill the process) when it is not ready by then. Default 60000 ms. */
  timeoutMs?: number;
  /**
   * Run it in a process group of its own, so a Ctrl-C in the terminal reaches only the parent, which then
   * stops its children in order (each receiving one signal, not the terminal's and the parent's). Default
   * false.
   */
  ownProcessGroup?: boolean;
}

/**
 * Starts a process and waits until it is ready. A process that exits first fails the start at once, with
 * its exit code and output, rather than when the timeout runs out.
 */
export async function startProcess({
  label,
  script,
  env,
  ready,
  timeoutMs = 60_000,
  ownProcessGroup = false,
}: StartOptions): Promise<RunningProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, script], {
    cwd: REPO_ROOT,
    detached: ownProcessGroup,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exitedEarly = new AbortController();
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedEarly.abort(new Error(`${label} exited with ${code ?? signal}`));
      resolve(code);
    }),
  );
  const running: RunningProcess = {
    process: child,
    output: () => output,
    async stop(stopTimeoutMs = 20_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitFor(`${label} to be ready`, () => ready(output), {
      timeoutMs,
      intervalMs: 200,
      signal: exitedEarly.signal,
    });
  } catch (err) {
    await running.kill();
    throw new Error(`${(err as Error).message}\n--- ${label} output ---\n${output.slice(-OUTPUT_TAIL)}`);
  }
  return running;
}

export type ServiceName = 'ingest' | 'accumulator' | 'alerter' | 'console';

export interface RunningService extends RunningProcess {
  name: ServiceName;
  url: string;
}

/** Starts a warnline service and waits for its `/healthz` on the port its environment gives it. */
export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  port: number,
  options: Pick<StartOptions, 'ownProcessGroup'> = {},
): Promise<RunningService> {
  const url = `http://127.0.0.1:${port}`;
  const running = await startProcess({
    ...options,
    label: name,
    script: join(REPO_ROOT, 'services', name, 'src', 'main.ts'),
    env,
    ready: async () => (await fetch(`${url}/healthz`).catch(() => null))?.ok ?? false,
  });
  return Object.assign(running, { name, url });
}

/** Starts a script that is ready once it prints `readyLine`. */
export function startScript(
  script: string,
  env: Record<string, string>,
  readyLine: string,
  timeoutMs = 60_000,
): Promise<RunningProcess> {
  return startProcess({ label: script, script, env, ready: (output) => output.includes(readyLine), timeoutMs });
}
