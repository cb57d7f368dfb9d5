import autocannon from 'autocannon';
import { lacquerClient } from '../local-stack/lacquer-client.ts';
import { createLocalPlatform } from '../local-stack/local-platform.ts';
import { type GatewaySideFigures, gatewaySideFigures, readGatewayMetrics } from './gateway-metrics.ts';
import {
  type CpuSample,
  machineBusySeconds,
  platformProcesses,
  reniceProcess,
  sampleCpu,
} from './process-cpu.ts';

/** What one load run does. */
export interface LoadRunOptions {
  /** Mastering worker processes (each with the service's default slots). */
  readonly masteringWorkers: number;
  /** Jobs submitted at once. */
  readonly jobCount: number;
  /** The rate of `GET /v1/jobs/{id}` while the jobs drain, requests per second (autocannon `overallRate`). */
  readonly getRatePerSecond: number;
  /** autocannon connections the rate is shared by. */
  readonly connections: number;
  /** The mix every job masters (uploaded once). */
  readonly mixPath: string;
  readonly mixContentType: string;
  /** The run gives up on jobs not finished by then, ms after the submission. */
  readonly timeoutMs: number;
  /**
   * The nice value the worker processes (analyzer, decision, mastering) run at, every thread
   * (0: as started; 10: the gateway and nats-server go first when they want the CPU).
   */
  readonly workerNice: number;
}

/** Latency of the GETs, ms (autocannon's histogram: whole milliseconds). */
export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

/** What one load run measured. */
export interface LoadRunResult {
  readonly masteringWorkers: number;
  readonly jobs: {
    readonly submitted: number;
    readonly completed: number;
    readonly failed: number;
    /** Not terminal when the run ended (timed out). */
    readonly unfinished: number;
    /** Error codes of failed jobs, with counts. */
    readonly failureCodes: Readonly<Record<string, number>>;
  };
  /** From the first POST to the last 202, seconds. */
  readonly submitSeconds: number;
  /** From the first POST to the last job's final event (its `updatedAt`), seconds. */
  readonly drainSeconds: number;
  /** Completed jobs per minute of drain time. */
  readonly jobsPerMinute: number;
  readonly gets: {
    readonly requests: number;
    /** Achieved rate over the GET phase, requests per second. */
    readonly ratePerSecond: number;
    readonly non2xx: number;
    readonly errors: number;
    readonly timeouts: number;
    readonly latency: LatencySummary;
    /** The same GETs as the gateway timed them, and its event loop meanwhile. */
    readonly gatewaySide: GatewaySideFigures;
  };
  readonly workerNice: number;
  /** CPU seconds each process used during the drain (`/proc/<pid>/stat`), by name. */
  readonly cpuSeconds: Readonly<Record<string, number>>;
  /** CPU seconds the rest of the machine used meanwhile (other users' work, the kernel). */
  readonly otherCpuSeconds: number;
  /** Wall seconds of the drain the CPU figures cover. */
  readonly cpuWindowSeconds: number;
}

const TERMINAL = new Set(['completed', 'failed']);

/**
 * Starts the platform with `masteringWorkers` mastering processes, uploads the mix once,
 * submits `jobCount` jobs at once, and while they drain runs autocannon at
 * `getRatePerSecond` against `GET /v1/jobs/{id}`, cycling through the job ids, until every job
 * has answered `completed` or `failed` (or `timeoutMs` passes). Stops the platform.
 */
export async function runLoad(options: LoadRunOptions): Promise<LoadRunResult> {
  const platform = await createLocalPlatform({ masteringWorkers: options.masteringWorkers });
  try {
    await platform.start();
    const processes = await platformProcesses(platform);
    for (const { name, pid } of processes) {
      if (name !== 'gateway' && name !== 'nats-server') await reniceProcess(pid, options.workerNice);
    }
    const client = lacquerClient(platform.gatewayUrl, platform.apiKey);
    const uploadId = await client.upload(options.mixPath, options.mixContentType);

    const submittedAtMs = Date.now();
    const accepted = await Promise.all(
      Array.from({ length: options.jobCount }, () => client.createJob({ input: { uploadId } })),
    );
    const submitSeconds = (Date.now() - submittedAtMs) / 1000;
    const jobIds = accepted.map((job) => job.jobId);

    const metricsBefore = await readGatewayMetrics(platform.gatewayUrl);
    const cpuBefore = await sampleCpu(processes);
    const machineBefore = await machineBusySeconds();
    const cpuStartedMs = Date.now();
    const gets = await pollUntilDrained(platform.gatewayUrl, platform.apiKey, jobIds, options, submittedAtMs);
    const cpuAfter = await sampleCpu(processes);
    const machineSeconds = (await machineBusySeconds()) - machineBefore;
    const cpuWindowSeconds = (Date.now() - cpuStartedMs) / 1000;
    const cpuSeconds = cpuDelta(cpuBefore, cpuAfter);
    const gatewaySide = gatewaySideFigures(metricsBefore, await readGatewayMetrics(platform.gatewayUrl));

    const finals = await Promise.all(jobIds.map((jobId) => client.job(jobId)));
    const completed = finals.filter((job) => job.status === 'completed').length;
    const failed = finals.filter((job) => job.status === 'failed');
    const failureCodes: Record<string, number> = {};
    for (const job of failed) {
      const code = job.error?.code ?? 'UNKNOWN';
      failureCodes[code] = (failureCodes[code] ?? 0) + 1;
    }
    const terminal = finals.filter((job) => TERMINAL.has(job.status));
    const lastUpdateMs = Math.max(...terminal.map((job) => Date.parse(String(job.updatedAt))));
    const drainSeconds = terminal.length > 0 ? (lastUpdateMs - submittedAtMs) / 1000 : Number.NaN;
    return {
      masteringWorkers: options.masteringWorkers,
      jobs: {
        submitted: jobIds.length,
        completed,
        failed: failed.length,
        unfinished: jobIds.length - terminal.length,
        failureCodes,
      },
      submitSeconds,
      drainSeconds,
      jobsPerMinute: completed / (drainSeconds / 60),
      gets: { ...gets, gatewaySide },
      workerNice: options.workerNice,
      cpuSeconds,
      otherCpuSeconds: Math.max(0, machineSeconds - Object.values(cpuSeconds).reduce((a, b) => a + b, 0)),
      cpuWindowSeconds,
    };
  } finally {
    await platform.close();
  }
}

/**
 * autocannon at the given overall rate against `GET /v1/jobs/{id}`, the ids in turn; each
 * answer's status is read (`verifyBody`), and the run stops once every job has answered
 * terminal, or at the deadline.
 */
function pollUntilDrained(
  gatewayUrl: string,
  apiKey: string,
  jobIds: readonly string[],
  options: LoadRunOptions,
  submittedAtMs: number,
): Promise<Omit<LoadRunResult['gets'], 'gatewaySide'>> {
  const pending = new Set(jobIds);
  let next = 0;
  const startedMs = Date.now();
  const remainingSeconds = Math.max(1, Math.ceil((submittedAtMs + options.timeoutMs - startedMs) / 1000));
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: gatewayUrl,
        connections: options.connections,
        overallRate: options.getRatePerSecond,
        duration: remainingSeconds,
        headers: { authorization: `Bearer ${apiKey}` },
        requests: [
          {
            setupRequest: (request) => {
              const jobId = jobIds[next % jobIds.length];
              next += 1;
              return { ...request, method: 'GET', path: `/v1/jobs/${jobId}` };
            },
          },
        ],
        verifyBody: (body) => {
          const job = parseJob(body);
          if (job && TERMINAL.has(job.status)) pending.delete(job.jobId);
          if (pending.size === 0) instance.stop();
          return true;
        },
        // autocannon's coordinated-omission correction takes 1/rate seconds as the expected
        // interval in ms (1 ms here): it would count a 20 ms answer as 20 samples. The rate
        // achieved is reported instead, which is where omitted requests would show.
        ignoreCoordinatedOmission: true,
      },
      (error, result) => {
        if (error) {
          reject(error);
          return;
        }
        const seconds = (Date.now() - startedMs) / 1000;
        resolve({
          requests: result.requests.total,
          ratePerSecond: result.requests.total / seconds,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          latency: {
            p50Ms: result.latency.p50,
            p90Ms: result.latency.p90,
            p99Ms: result.latency.p99,
            maxMs: result.latency.max,
            meanMs: result.latency.mean,
          },
        });
      },
    );
  });
}

function parseJob(body: unknown): { readonly jobId: string; readonly status: string } | null {
  try {
    const job = JSON.parse(String(body)) as { jobId?: unknown; status?: unknown };
    return typeof job.jobId === 'string' && typeof job.status === 'string'
      ? { jobId: job.jobId, status: job.status }
      : null;
  } catch {
    return null;
  }
}

function cpuDelta(before: readonly CpuSample[], after: readonly CpuSample[]): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const sample of after) {
    const earlier = before.find((candidate) => candidate.name === sample.name);
    delta[sample.name] = sample.cpuSeconds - (earlier?.cpuSeconds ?? 0);
  }
  return delta;
}
