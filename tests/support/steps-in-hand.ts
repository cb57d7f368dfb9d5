/** One delivery a worker process has started and not yet finished, as its log says. */
export interface StepInHand {
  readonly jobId: string;
  /** `analyze`, `decide`, `master`, … (the step name of the worker's log). */
  readonly step: string;
  readonly attempt: number;
}

/** What {@link stepsInHand} returns. */
export interface StepsInHand {
  /** Feed it every service's output (`startPlatform({ output })`). */
  observe(name: string, line: string): void;
  /** The deliveries the process `name` has in hand now. */
  of(name: string): readonly StepInHand[];
  /** Forgets what `name` had in hand (call it when the process dies). */
  forget(name: string): void;
}

const STARTED = / started$/;
const FINISHED = /( done$| failed)/;

/**
 * Follows which job each worker process is working on, from the pino JSON lines of its
 * worker consumer: `<step> started` (with `jobId`, `attempt`) opens a delivery, `<step> done`
 * or `<step> failed…` closes it. Lines that are not JSON, or have no `jobId`, are ignored; a
 * process that is killed never logs the end of its delivery, hence {@link StepsInHand.forget}.
 */
export function stepsInHand(): StepsInHand {
  const inHand = new Map<string, Map<string, StepInHand>>();
  const deliveries = (name: string): Map<string, StepInHand> => {
    let found = inHand.get(name);
    if (!found) {
      found = new Map();
      inHand.set(name, found);
    }
    return found;
  };
  return {
    observe(name, line) {
      if (!line.startsWith('{')) return;
      let record: { msg?: unknown; jobId?: unknown; attempt?: unknown };
      try {
        record = JSON.parse(line) as typeof record;
      } catch {
        return;
      }
      if (typeof record.msg !== 'string' || typeof record.jobId !== 'string') return;
      if (STARTED.test(record.msg)) {
        deliveries(name).set(record.jobId, {
          jobId: record.jobId,
          step: record.msg.replace(STARTED, ''),
          attempt: typeof record.attempt === 'number' ? record.attempt : 0,
        });
      } else if (FINISHED.test(record.msg)) {
        deliveries(name).delete(record.jobId);
      }
    },
    of: (name) => [...deliveries(name).values()],
    forget: (name) => inHand.delete(name),
  };
}
