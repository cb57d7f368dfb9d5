import type { JobReadModel } from '@lacquer/runtime';

/**
 * Waits until the read model has folded the job's events up to `sequence`, or `timeoutMs`
 * passes. The event stream calls it before it announces a finished job, so that a client
 * that reads the job right after `completed` sees `completed` too (the projector trails the
 * log by a few milliseconds).
 *
 * @returns whether the read model caught up in time.
 */
export async function awaitProjection(
  readModel: JobReadModel,
  view: { readonly tenantId: string; readonly jobId: string; readonly lastSequence: number },
  options: { readonly timeoutMs: number; readonly signal: AbortSignal },
): Promise<boolean> {
  const deadline = Date.now() + options.timeoutMs;
  while (!options.signal.aborted && Date.now() < deadline) {
    const stored = await readModel.get(view.tenantId, view.jobId);
    if (stored && stored.lastSequence >= view.lastSequence) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return false;
}
