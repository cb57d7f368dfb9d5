import { randomInt } from 'node:crypto';
import { type NatsServer, xorshift32 } from '@lacquer/testing';
import type { ServiceProcess } from '../../scripts/local-stack/service-process.ts';
import type { StepInHand } from './steps-in-hand.ts';

/** One thing the chaos did. */
export type ChaosAction =
  | {
      readonly kind: 'kill';
      /** ms since the chaos started. */
      readonly atMs: number;
      readonly target: string;
      readonly pid: number | undefined;
      /** What the process was working on when it was killed. */
      readonly inHand: readonly StepInHand[];
      /** Until it answered `/readyz` again, ms (`null`: it did not come back). */
      restartMs: number | null;
      /** Starts it took (a start fails while nats-server is down). */
      starts: number;
    }
  | {
      readonly kind: 'nats-restart';
      readonly atMs: number;
      readonly signal: NodeJS.Signals;
      /** From the signal until the new server was ready, ms. */
      downMs: number | null;
    };

/** Options of {@link startChaos}. */
export interface ChaosOptions {
  /** The worker processes to kill (by their name). */
  readonly targets: readonly ServiceProcess[];
  readonly nats: NatsServer;
  /** Default: `LACQUER_CHAOS_SEED`, else a random one (printed, to replay a run's schedule). */
  readonly seed?: number;
  /** Pause before each action, drawn uniformly from this range, ms (default 3000 … 4000). */
  readonly intervalMs?: readonly [number, number];
  /** The action (1-based) that restarts nats-server instead of killing a worker (default 3). */
  readonly natsRestartAt?: number;
  /** How nats-server is stopped (default: SIGTERM or SIGKILL, drawn from the seed). */
  readonly natsSignal?: NodeJS.Signals;
  /** What a process has in hand, recorded with each kill. */
  readonly inHand?: (name: string) => readonly StepInHand[];
  /** Called once a killed process is gone (e.g. to forget what it had in hand). */
  readonly onKilled?: (name: string) => void;
  /**
   * Workers down at once, at most (default 1): the pause before a kill starts once a restart
   * is done. A Node service takes 2 … 15 s to start on two busy cores; killing faster than
   * that starves the batch instead of testing it.
   */
  readonly maxDown?: number;
  /** How long a killed process is restarted for before giving up, ms (default 60 000). */
  readonly restartTimeoutMs?: number;
  /** Where the chaos log goes, line by line (default: stdout, as it happens). */
  readonly log?: (line: string) => void;
}

/** The running chaos of {@link startChaos}. */
export interface Chaos {
  readonly seed: number;
  /** Every action so far, in order. */
  readonly actions: readonly ChaosAction[];
  /**
   * Stops acting, then waits until every killed process is running again.
   *
   * @throws the error that stopped the chaos early (nats-server did not start again).
   */
  stop(): Promise<void>;
}

const DEFAULT_INTERVAL_MS: readonly [number, number] = [3000, 4000];

/**
 * Fault injection for an end-to-end test, as a supervisor with a grudge: every few seconds
 * (jittered) it SIGKILLs a random running worker process and starts it again at once, retrying
 * the start each second while it fails (as Kubernetes would restart a crashed pod), with at
 * most `maxDown` workers down at once; at the
 * `natsRestartAt`-th action it stops nats-server instead (SIGTERM or SIGKILL) and starts it
 * again on the same port and file store. Every choice comes from one seeded generator, so a
 * failing run's schedule replays with `LACQUER_CHAOS_SEED=<seed>`; every action is logged
 * with its time.
 */
export function startChaos(options: ChaosOptions): Chaos {
  const seed = options.seed ?? (Number(process.env.LACQUER_CHAOS_SEED) || randomInt(1, 2 ** 31));
  const random = xorshift32(seed);
  // xorshift's first outputs from a small seed are small too: let it mix first.
  for (let draw = 0; draw < 8; draw++) random();
  const [minMs, maxMs] = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  const natsRestartAt = options.natsRestartAt ?? 3;
  const natsSignal = options.natsSignal ?? (random() < 0.5 ? 'SIGTERM' : 'SIGKILL');
  const restartTimeoutMs = options.restartTimeoutMs ?? 60_000;
  const maxDown = options.maxDown ?? 1;
  const print = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const startedAt = Date.now();
  const elapsedMs = (): number => Date.now() - startedAt;
  const log = (line: string): void =>
    print(`[chaos ${new Date().toISOString()} +${(elapsedMs() / 1000).toFixed(1)}s] ${line}`);

  const actions: ChaosAction[] = [];
  const restarting = new Map<string, Promise<void>>();
  let stopping = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** Starts `target` until it is ready, as a supervisor would. */
  const restart = async (target: ServiceProcess, action: ChaosAction & { kind: 'kill' }): Promise<void> => {
    const killedAt = Date.now();
    while (Date.now() - killedAt < restartTimeoutMs) {
      action.starts++;
      try {
        await target.start();
        action.restartMs = Date.now() - killedAt;
        log(`${target.name} is back (pid ${target.pid}, ${action.restartMs} ms, ${action.starts} start(s))`);
        return;
      } catch (error) {
        log(`${target.name} did not start (${(error as Error).message}); again in 1 s`);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    log(`${target.name} did not come back within ${restartTimeoutMs} ms`);
  };

  const killOne = async (): Promise<void> => {
    // Draw even when nothing can be killed, so that the schedule stays the seed's.
    const draw = random();
    const candidates = options.targets.filter((target) => target.running && !restarting.has(target.name));
    const target = candidates[Math.floor(draw * candidates.length)];
    if (!target) {
      log('every worker is still restarting; nothing killed this time');
      return;
    }
    const inHand = options.inHand?.(target.name) ?? [];
    const action: ChaosAction & { kind: 'kill' } = {
      kind: 'kill',
      atMs: elapsedMs(),
      target: target.name,
      pid: target.pid,
      inHand,
      restartMs: null,
      starts: 0,
    };
    await target.stop('SIGKILL');
    options.onKilled?.(target.name);
    actions.push(action);
    const work = inHand.map((step) => `${step.step} of ${step.jobId} (attempt ${step.attempt})`).join(', ');
    log(`SIGKILL ${target.name} (pid ${action.pid}); in hand: ${work || 'nothing'}`);
    restarting.set(
      target.name,
      restart(target, action).finally(() => restarting.delete(target.name)),
    );
  };

  const restartNats = async (): Promise<void> => {
    const action: ChaosAction & { kind: 'nats-restart' } = {
      kind: 'nats-restart',
      atMs: elapsedMs(),
      signal: natsSignal,
      downMs: null,
    };
    actions.push(action);
    log(`${natsSignal} nats-server (port ${options.nats.port}, store ${options.nats.storeDir})`);
    const downAt = Date.now();
    await options.nats.stop(natsSignal);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await options.nats.start();
    action.downMs = Date.now() - downAt;
    log(`nats-server is back on the same port and store after ${action.downMs} ms`);
  };

  const loop = (async () => {
    log(
      `seed ${seed} (replay: LACQUER_CHAOS_SEED=${seed}); every ${minMs}…${maxMs} ms a SIGKILL of one of ` +
        `${options.targets.map((target) => target.name).join(', ')} (at most ${maxDown} down at once); ` +
        `action ${natsRestartAt}: ${natsSignal} nats-server`,
    );
    for (let count = 1; ; count++) {
      // The pause runs from when the last killed worker is back, so each gets some time to work.
      while (restarting.size >= maxDown && !stopping) await Promise.race(restarting.values());
      await sleep(minMs + random() * (maxMs - minMs));
      if (stopping) return;
      if (count === natsRestartAt) await restartNats();
      else await killOne();
    }
  })().catch((error: unknown) => {
    log(`the chaos itself failed: ${(error as Error).stack ?? String(error)}`);
    failure = error;
  });

  return {
    seed,
    actions,
    async stop() {
      stopping = true;
      wake?.();
      await loop;
      await Promise.all(restarting.values());
      log(`stopped after ${actions.length} actions`);
      if (failure) throw failure;
    },
  };
}
