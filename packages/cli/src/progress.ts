/** Progress lines on stderr, so stdout stays clean for JSON. */
export interface Progress {
  step(message: string): void;
  done(message: string): void;
}

/** Writes `[  1.2 s] message` lines to `stream`, timed from creation. */
export function createProgress(stream: NodeJS.WritableStream = process.stderr): Progress {
  const start = performance.now();
  const stamp = () => `[${((performance.now() - start) / 1000).toFixed(1).padStart(5)} s]`;
  return {
    step: (message) => stream.write(`${stamp()} ${message}…\n`),
    done: (message) => stream.write(`${stamp()} ${message}\n`),
  };
}
