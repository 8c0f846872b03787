// Where the two cores went while a phase ran: the service processes (from /proc/<pid>/stat), Redis (INFO cpu),
// this bench process, and the whole machine (/proc/stat). What is left of the machine's busy time is the
// Kafka broker and anything else on the box (other workloads): the evidence for "what bounds it".
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';

/** Clock ticks per second of /proc (USER_HZ): 100 on Linux on every architecture Node supports. */
const TICKS = 100;

function processSeconds(pid: number): number {
  try {
    // Fields after the command name, which is in parentheses and may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS;
  } catch {
    return Number.NaN;
  }
}

function machine(): { busy: number; total: number } {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const idle = (line[3] ?? 0) + (line[4] ?? 0);
    const total = line.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: (total - idle) / TICKS, total: total / TICKS };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

async function redisSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const get = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN);
  return get('used_cpu_sys') + get('used_cpu_user');
}

/** Cores used on average over the measured span (1.0 = one core fully busy). */
export interface CpuShare {
  seconds: number;
  /** Each named process (the services). */
  processes: Record<string, number>;
  redis: number;
  bench: number;
  /** Everything busy on the machine. */
  machine: number;
  /** machine − the above: the Kafka broker and whatever else runs on the box. */
  rest: number;
}

export async function startCpuMeter(redis: Redis, pids: Record<string, number>) {
  const t0 = performance.now();
  const p0 = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, processSeconds(pid)]));
  const r0 = await redisSeconds(redis);
  const b0 = process.cpuUsage();
  const m0 = machine();
  return async (): Promise<CpuShare> => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machine();
    const b = process.cpuUsage(b0);
    const r1 = await redisSeconds(redis);
    const processes = Object.fromEntries(
      Object.entries(pids).map(([name, pid]) => [name, (processSeconds(pid) - p0[name]!) / seconds]),
    );
    const redisCores = (r1 - r0) / seconds;
    const bench = (b.user + b.system) / 1e6 / seconds;
    // /proc/stat counts every core: busy seconds per wall second is cores used.
    const machineCores = (m1.busy - m0.busy) / seconds;
    const known = Object.values(processes).reduce((a, v) => a + (Number.isFinite(v) ? v : 0), 0) + redisCores + bench;
    return { seconds, processes, redis: redisCores, bench, machine: machineCores, rest: machineCores - known };
  };
}

export function formatCpu(c: CpuShare | undefined): string {
  if (c === undefined) return '';
  const parts = [
    ...Object.entries(c.processes).map(([k, v]) => `${k} ${v.toFixed(2)}`),
    `redis ${c.redis.toFixed(2)}`,
    `bench ${c.bench.toFixed(2)}`,
    `broker+other ${c.rest.toFixed(2)}`,
  ];
  return `cores: ${parts.join(', ')}; machine ${c.machine.toFixed(2)} of 2`;
}
