// Entry of a task pool's worker threads (see task-pool.ts). Loads the service's task module
// named in workerData, through tsx when it is TypeScript (Node 20's workers do not inherit
// tsx's loader), and runs the task a call names.
import { workerData } from 'node:worker_threads';

if (workerData.taskModule.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
const tasks = await import(workerData.taskModule);

/**
 * Runs a task and answers `{ value }`, or `{ error }` with the error's name, code, message
 * and details: structured cloning would drop a LacquerError's code, which decides between
 * retrying and failing the job.
 */
export default async function runTask({ task, input }) {
  const run = tasks[task];
  if (typeof run !== 'function') throw new TypeError(`no task "${task}" in ${workerData.taskModule}`);
  try {
    return { value: await run(input) };
  } catch (error) {
    const { name, code, message, details } = error ?? {};
    return { error: { name, code, message: message ?? String(error), details } };
  }
}
