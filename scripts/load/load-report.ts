import type { LoadRunResult } from './load-run.ts';

/** The load test's settings, as the report states them. */
export interface LoadSettings {
  readonly jobCount: number;
  readonly getRatePerSecond: number;
  readonly connections: number;
  readonly mix: string;
  readonly clipSeconds: number;
  readonly p99LimitMs: number;
  readonly cpuCount: number;
  readonly node: string;
}

/** The report: settings, one result per worker count, and whether the run passed. */
export interface LoadReport {
  readonly generatedAt: string;
  readonly settings: LoadSettings;
  readonly runs: readonly LoadRunResult[];
  /** Empty when the run passed: p99 under the limit and every job completed, in every run. */
  readonly failures: readonly string[];
}

/** Why `run` fails the load test: a p99 at or over the limit, or a job that did not complete. */
export function failuresOf(run: LoadRunResult, p99LimitMs: number): string[] {
  const failures: string[] = [];
  const label = `${run.masteringWorkers} mastering worker(s), workers at nice ${run.workerNice}`;
  if (!(run.gets.latency.p99Ms < p99LimitMs)) {
    failures.push(`${label}: GET p99 ${run.gets.latency.p99Ms} ms ≥ ${p99LimitMs} ms`);
  }
  if (run.jobs.completed !== run.jobs.submitted) {
    failures.push(
      `${label}: ${run.jobs.submitted - run.jobs.completed} of ${run.jobs.submitted} jobs did not complete (${run.jobs.failed} failed, ${run.jobs.unfinished} unfinished)`,
    );
  }
  return failures;
}

const fixed = (value: number, digits = 1): string => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** The report as Markdown (a table per question: latency, jobs, CPU). */
export function loadReportMarkdown(report: LoadReport): string {
  const { settings, runs } = report;
  const names = [...new Set(runs.flatMap((run) => Object.keys(run.cpuSeconds)))].sort();
  const lines = [
    '# Lacquer load test',
    '',
    `${report.generatedAt}, ${settings.cpuCount} CPUs, Node ${settings.node}. ${settings.jobCount} jobs submitted at once ` +
      `(${settings.mix}, first ${settings.clipSeconds} s), then \`GET /v1/jobs/{id}\` at ${settings.getRatePerSecond} requests/s ` +
      `(autocannon \`overallRate\`, ${settings.connections} connections, the ids in turn) until every job is terminal. ` +
      `Pass: p99 < ${settings.p99LimitMs} ms and every job completed.`,
    '',
    '| mastering workers | worker nice | GETs | rate (req/s) | p50 (ms) | p90 (ms) | p99 (ms) | max (ms) | non-2xx | errors | completed | failed | unfinished | submit (s) | drain (s) | jobs/min |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...runs.map(
      (run) =>
        `| ${run.masteringWorkers} | ${run.workerNice} | ${run.gets.requests} | ${fixed(run.gets.ratePerSecond)} | ${run.gets.latency.p50Ms} | ${run.gets.latency.p90Ms} | ${run.gets.latency.p99Ms} | ${run.gets.latency.maxMs} | ${run.gets.non2xx} | ${run.gets.errors + run.gets.timeouts} | ${run.jobs.completed} | ${run.jobs.failed} | ${run.jobs.unfinished} | ${fixed(run.submitSeconds, 2)} | ${fixed(run.drainSeconds)} | ${fixed(run.jobsPerMinute)} |`,
    ),
    '',
    'The same GETs as the gateway timed them (onRequest to onResponse, its `http_request_duration_seconds`), ' +
      'and its event-loop delay over the drain:',
    '',
    '| mastering workers | worker nice | GETs answered | over 25 ms | over 50 ms | event-loop delay p99 (ms) | max (ms) |',
    '|---|---|---|---|---|---|---|',
    ...runs.map((run) => {
      const side = run.gets.gatewaySide;
      return `| ${run.masteringWorkers} | ${run.workerNice} | ${side.requests} | ${fixed(side.over25MsPercent, 2)} % | ${fixed(side.over50MsPercent, 2)} % | ${fixed(side.eventLoopLagP99Ms)} | ${fixed(side.eventLoopLagMaxMs)} |`;
    }),
    '',
    'CPU seconds per process over the drain (user + system; children such as ffmpeg included) and their share of the ' +
      'machine; `other` is everything else the machine ran meanwhile (other users, the kernel):',
    '',
    `| mastering workers | worker nice | drain window (s) | ${[...names, 'other'].join(' | ')} |`,
    `|---|---|---|${[...names, 'other'].map(() => '---').join('|')}|`,
    ...runs.map((run) => {
      const cell = (seconds: number | undefined): string =>
        seconds === undefined
          ? '–'
          : `${fixed(seconds)} (${fixed((100 * seconds) / (run.cpuWindowSeconds * settings.cpuCount), 0)} %)`;
      return `| ${run.masteringWorkers} | ${run.workerNice} | ${fixed(run.cpuWindowSeconds)} | ${[
        ...names.map((name) => cell(run.cpuSeconds[name])),
        cell(run.otherCpuSeconds),
      ].join(' | ')} |`;
    }),
    '',
    report.failures.length === 0
      ? '**Passed.**'
      : `**Failed:**\n\n${report.failures.map((f) => `- ${f}`).join('\n')}`,
    '',
  ];
  return lines.join('\n');
}
