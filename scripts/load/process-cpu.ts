import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { setPriority } from 'node:os';
import type { LocalPlatform } from '../local-stack/local-platform.ts';

// Linux /proc readings of the platform's processes: CPU time, and their scheduling priority.

/** One process of the platform. */
export interface PlatformProcess {
  /** `gateway`, `analyzer`, `mastering-2` …, or `nats-server`. */
  readonly name: string;
  readonly pid: number;
}

/** CPU time one process (its threads, and its children it has reaped, e.g. ffmpeg) has used. */
export interface CpuSample {
  /** A {@link PlatformProcess} name, or `load-test` (this process: autocannon and the client). */
  readonly name: string;
  /** User + system, seconds. */
  readonly cpuSeconds: number;
}

const CLOCK_TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** `/proc/<pid>/stat`'s fields after the command name: state is [0], ppid [1], utime [11] … cstime [14]. */
async function statFields(pid: string): Promise<string[]> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

/**
 * The platform's processes: this process's children, named by the service whose port their
 * `PORT` is, or `nats-server`.
 */
export async function platformProcesses(platform: LocalPlatform): Promise<PlatformProcess[]> {
  const byPort = new Map(
    [...platform.services.entries()].map(([name, service]) => [String(service.port), name]),
  );
  const found: PlatformProcess[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number((await statFields(entry))[1]) !== process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    const environ = await readFile(`/proc/${entry}/environ`, 'utf8').catch(() => '');
    const port = /(?:^|\0)PORT=(\d+)/.exec(environ)?.[1];
    const name = cmdline.includes('nats-server')
      ? 'nats-server'
      : port === undefined
        ? undefined
        : byPort.get(port);
    if (name !== undefined) found.push({ name, pid: Number(entry) });
  }
  return found;
}

/** CPU time of each of `processes` so far, and of this process. */
export async function sampleCpu(processes: readonly PlatformProcess[]): Promise<CpuSample[]> {
  const samples: CpuSample[] = [];
  for (const { name, pid } of processes) {
    const fields = await statFields(String(pid));
    const ticks = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
    samples.push({ name, cpuSeconds: ticks / CLOCK_TICKS_PER_SECOND });
  }
  const own = process.cpuUsage();
  samples.push({ name: 'load-test', cpuSeconds: (own.user + own.system) / 1e6 });
  return samples;
}

/** CPU seconds the whole machine has been busy (every CPU, `/proc/stat`), since boot. */
export async function machineBusySeconds(): Promise<number> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = [user, nice, system, irq, softirq, steal].reduce<number>(
    (sum, value) => sum + (value ?? 0),
    0,
  );
  return busy / CLOCK_TICKS_PER_SECOND;
}

/**
 * Sets the nice value of every thread of `pid` (Linux nice is per thread; threads and child
 * processes started later inherit it from the thread that starts them).
 */
export async function reniceProcess(pid: number, nice: number): Promise<void> {
  for (const thread of await readdir(`/proc/${pid}/task`)) setPriority(Number(thread), nice);
}
