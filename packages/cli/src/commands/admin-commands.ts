import { ERROR_CODES, type ErrorCode, LacquerError } from '@lacquer/errors';

/** Where the gateway is and the operator's key (`--url`, `--admin-key` or the environment). */
export interface AdminOptions {
  readonly url?: string;
  readonly adminKey?: string;
}

/** The gateway of `pnpm start` and the compose file. */
const DEFAULT_URL = 'http://127.0.0.1:8080';

/**
 * Calls an operator route of the gateway with the admin key and returns its JSON.
 *
 * @throws LacquerError `CLI_USAGE` without a key; the route's own code (from its
 *   problem+json) when it refuses; `NATS_UNAVAILABLE`-like 5xx codes as the gateway names them.
 */
async function callAdmin(options: AdminOptions, method: 'GET' | 'POST', path: string): Promise<unknown> {
  const adminKey = options.adminKey ?? process.env.LACQUER_ADMIN_API_KEY;
  if (!adminKey) {
    throw new LacquerError('CLI_USAGE', 'pass --admin-key or set LACQUER_ADMIN_API_KEY (the operator key)');
  }
  const base = options.url ?? process.env.LACQUER_URL ?? DEFAULT_URL;
  let response: Response;
  try {
    response = await fetch(new URL(path, base), { method, headers: { authorization: `Bearer ${adminKey}` } });
  } catch (cause) {
    throw new LacquerError(
      'INTERNAL_ERROR',
      `cannot reach the gateway at ${base}: ${(cause as Error).message}`,
      {
        cause,
      },
    );
  }
  const body = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
  if (response.ok) return body;
  const code =
    body.code && Object.hasOwn(ERROR_CODES, body.code) ? (body.code as ErrorCode) : 'INTERNAL_ERROR';
  throw new LacquerError(code, body.detail ?? `the gateway answered ${response.status}`);
}

interface FailedJob {
  readonly jobId: string;
  readonly tenantId: string;
  readonly failedAt: string;
  readonly step: string;
  readonly error: { readonly code: string; readonly message: string };
  readonly attempts: number;
  readonly retries: number;
}

/** `lacquer admin failed-jobs`: prints failed jobs of every tenant, newest first (one per line, or JSON). */
export async function failedJobsCommand(
  options: AdminOptions & { json?: boolean; limit?: number },
): Promise<void> {
  const jobs: FailedJob[] = [];
  let cursor: string | null = null;
  const limit = options.limit ?? 100;
  do {
    const query: string = `?limit=${Math.min(100, limit - jobs.length)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await callAdmin(options, 'GET', `/v1/admin/failed-jobs${query}`)) as {
      jobs: FailedJob[];
      nextCursor: string | null;
    };
    jobs.push(...page.jobs);
    cursor = page.nextCursor;
  } while (cursor && jobs.length < limit);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(jobs, null, 2)}\n`);
    return;
  }
  if (jobs.length === 0) process.stdout.write('no failed jobs\n');
  for (const job of jobs) {
    process.stdout.write(
      `${job.jobId}  ${job.tenantId}  ${job.failedAt}  ${job.step}  ${job.error.code}  attempts ${job.attempts}  retries ${job.retries}  ${job.error.message}\n`,
    );
  }
}

/** `lacquer admin retry <jobId>` or `--all`: runs failed jobs again from the step that failed. */
export async function retryCommand(
  jobId: string | undefined,
  options: AdminOptions & { all?: boolean },
): Promise<void> {
  if (Boolean(jobId) === Boolean(options.all)) {
    throw new LacquerError('CLI_USAGE', 'name one job id, or pass --all (not both)');
  }
  if (jobId) {
    const retry = (await callAdmin(options, 'POST', `/v1/admin/jobs/${encodeURIComponent(jobId)}/retry`)) as {
      step: string;
      retry: number;
    };
    process.stdout.write(`${jobId}: retry ${retry.retry} from ${retry.step}\n`);
    return;
  }
  const outcome = (await callAdmin(options, 'POST', '/v1/admin/failed-jobs/retry')) as {
    retried: { jobId: string; step: string; retry: number }[];
    refused: { jobId: string; error: { code: string; message: string } }[];
  };
  for (const retry of outcome.retried)
    process.stdout.write(`${retry.jobId}: retry ${retry.retry} from ${retry.step}\n`);
  for (const refused of outcome.refused) {
    process.stdout.write(`${refused.jobId}: not retried: ${refused.error.code}: ${refused.error.message}\n`);
  }
  process.stdout.write(`retried ${outcome.retried.length}, refused ${outcome.refused.length}\n`);
}
