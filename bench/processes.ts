// Child processes of the bench that are not warnline services (the naive consumer): started like
// test/support/services.ts starts a service, ready when they print their ready line.
import { spawn, type ChildProcess } from 'node:child_process';
import { SERVICE_NODE_FLAGS, REPO_ROOT } from '../test/support/services.ts';

export interface BenchProcess {
  process: ChildProcess;
  output(): string;
  stop(timeoutMs?: number): Promise<number | null>;
}

export async function startScript(
  script: string,
  env: Record<string, string>,
  readyLine: string,
  timeoutMs = 60_000,
): Promise<BenchProcess> {
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${script} not ready within ${timeoutMs} ms:\n${output.slice(-2000)}`)),
      timeoutMs,
    );
    const onData = (c: Buffer) => {
      output += c.toString();
      if (output.includes(readyLine)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${output.slice(-2000)}`));
    });
  });
  const proc: BenchProcess = {
    process: child,
    output: () => output,
    async stop(stopTimeoutMs = 20_000) {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
  try {
    await ready;
  } catch (err) {
    await proc.stop(2_000);
    throw err;
  }
  return proc;
}
