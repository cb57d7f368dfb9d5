import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Wall time and peak memory of one command and the processes it starts. */
export interface MeasuredRun {
  readonly command: string;
  readonly wallSeconds: number;
  /** Largest resident set of the whole process tree, sampled every 20 ms, MB. */
  readonly peakTreeRssMb: number;
  /** The top process's own high-water mark (VmHWM), MB. */
  readonly peakMainRssMb: number;
  readonly stdout: string;
}

const SAMPLE_INTERVAL_MS = 20;

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function command(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function descendants(pid: number): number[] {
  const found: number[] = [];
  let tasks: string[] = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return found;
  }
  for (const task of tasks) {
    let children = '';
    try {
      children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8');
    } catch {}
    for (const child of children.split(' ').filter(Boolean).map(Number))
      found.push(child, ...descendants(child));
  }
  return found;
}

/**
 * Runs `argv` and measures it from outside (Linux /proc): wall time from spawn to exit, the
 * peak RSS summed over the process tree (sampled) and the main process's own VmHWM.
 * Rejects when the command fails.
 */
export function runMeasured(argv: readonly string[]): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let peakTreeKb = 0;
    let peakMainKb = 0;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const pid = child.pid!;
    const timer = setInterval(() => {
      // A child caught between fork and exec still shows its parent's pages (copy-on-write, not
      // new memory): a descendant running the same program as the top is not counted.
      const top = command(pid);
      const tree = [pid, ...descendants(pid).filter((child) => command(child) !== top)];
      peakTreeKb = Math.max(
        peakTreeKb,
        tree.reduce((sum, p) => sum + readStatusKb(p, 'VmRSS'), 0),
      );
      // The main process is the last node of a wrapper chain (pnpm → node): take the largest HWM.
      peakMainKb = Math.max(peakMainKb, ...tree.map((p) => readStatusKb(p, 'VmHWM')));
    }, SAMPLE_INTERVAL_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(timer);
      const wallSeconds = (performance.now() - start) / 1000;
      if (code !== 0) {
        reject(
          new Error(`${argv.join(' ')} exited ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`),
        );
        return;
      }
      resolve({
        command: argv.join(' '),
        wallSeconds,
        peakTreeRssMb: peakTreeKb / 1024,
        peakMainRssMb: peakMainKb / 1024,
        stdout: stdout + stderr,
      });
    });
  });
}
