import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Rendered YAML is a few hundred kilobytes at most; this leaves room. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * The YAML that `kubectl kustomize <directory>` renders.
 *
 * @throws Error with kubectl's stderr when rendering fails.
 */
export async function renderKustomization(directory: string): Promise<string> {
  try {
    const { stdout } = await run('kubectl', ['kustomize', directory], { maxBuffer: MAX_OUTPUT_BYTES });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`kubectl kustomize ${directory} failed${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}

/** True when `kubectl` is on PATH and runs. */
export async function isKubectlAvailable(): Promise<boolean> {
  try {
    await run('kubectl', ['version', '--client']);
    return true;
  } catch {
    return false;
  }
}
