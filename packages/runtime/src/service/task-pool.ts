import { ERROR_CODES, type ErrorCode, LacquerError } from '@lacquer/errors';
import { Piscina } from 'piscina';

/** Runs a service's heavy work (decoding, DSP) in worker threads, off the event loop. */
export interface TaskPool {
  /**
   * Calls the export `task` of the task module with `input` in a worker thread. When `signal`
   * aborts, the task's thread is stopped and the call rejects with the signal's reason.
   */
  run<T>(task: string, input: unknown, options?: { readonly signal?: AbortSignal }): Promise<T>;
  /** Waits for running tasks, then stops the threads; with `force`, stops them at once. */
  close(options?: { readonly force?: boolean }): Promise<void>;
}

/**
 * A piscina pool of `threads` workers (1 … 16), each loading `taskModule` (a file URL of a
 * module whose exports are the tasks, TypeScript or JavaScript). The event loop stays free
 * to heartbeat (`working()`), ack and answer health checks while the DSP runs.
 */
export function createTaskPool(taskModule: URL, options: { readonly threads: number }): TaskPool {
  const piscina = new Piscina({
    filename: new URL('./task-worker.mjs', import.meta.url).href,
    workerData: { taskModule: taskModule.href },
    minThreads: options.threads,
    maxThreads: options.threads,
    // A worker whose task failed stays; one that crashed is replaced by piscina.
    idleTimeout: Number.POSITIVE_INFINITY,
  });
  return {
    run: async <T>(task: string, input: unknown, options: { signal?: AbortSignal } = {}): Promise<T> => {
      const { signal } = options;
      let outcome: TaskOutcome;
      try {
        outcome = await piscina.run({ task, input }, signal ? { signal } : {});
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw error;
      }
      if ('value' in outcome) return outcome.value as T;
      throw taskError(task, outcome.error);
    },
    close: (options = {}) => piscina.close({ force: options.force ?? false }),
  };
}

/** What a worker thread answers (see task-worker.mjs). */
type TaskOutcome =
  | { readonly value: unknown }
  | {
      readonly error: {
        readonly name?: string;
        readonly code?: string;
        readonly message: string;
        readonly details?: Record<string, unknown>;
      };
    };

/** The LacquerError a task threw, rebuilt on this side; anything else is `INTERNAL_ERROR`. */
function taskError(task: string, error: Extract<TaskOutcome, { error: unknown }>['error']): LacquerError {
  if (error.name === 'LacquerError' && error.code && Object.hasOwn(ERROR_CODES, error.code)) {
    return new LacquerError(error.code as ErrorCode, error.message, { details: error.details ?? {} });
  }
  return new LacquerError('INTERNAL_ERROR', `task ${task} failed: ${error.message}`);
}

/** The pool of a service that runs no tasks: `run` is a defect and fails the job. */
export const NO_TASKS: TaskPool = {
  run: async (task) => {
    throw new LacquerError('INTERNAL_ERROR', `task "${task}" called on a service without a task pool`);
  },
  close: async () => {},
};
