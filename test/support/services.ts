// Starts a warnline service as a separate process (as in production), captures its log, waits for its
// /healthz, and stops it with SIGTERM. Used by the end-to-end tests, the demo and the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait.ts';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * How a service process is started. kafkajs 2.2.4 schedules a timer with a negative delay on Node ≥ 24
 * (tulios/kafkajs#1751; Node clamps it to 1 ms, nothing else happens), so that one warning is silenced.
 */
export const SERVICE_NODE_FLAGS = ['--disable-warning=TimeoutNegativeWarning', '--import', 'tsx'];

export type ServiceName = 'ingest' | 'accumulator' | 'alerter';

export interface RunningService {
  name: ServiceName;
  url: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** SIGTERM, then the exit code (SIGKILL after the timeout). */
  stop(timeoutMs?: number): Promise<number | null>;
  /** SIGKILL: a crash, for tests that prove nothing is lost. */
  kill(): Promise<void>;
}

export async function startService(
  name: ServiceName,
  env: Record<string, string>,
  port: number,
): Promise<RunningService> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(REPO_ROOT, 'services', name, 'src', 'main.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    name,
    url,
    process: child,
    output: () => output,
    async stop(timeoutMs = 20_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
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
    await waitFor(
      `${name} /healthz`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output.slice(-3000)}`);
        const res = await fetch(`${url}/healthz`).catch(() => null);
        return res?.ok ?? false;
      },
      { timeoutMs: 60_000, intervalMs: 200 },
    );
  } catch (err) {
    await service.kill();
    throw new Error(`${(err as Error).message}\n--- ${name} output ---\n${output.slice(-3000)}`);
  }
  return service;
}
