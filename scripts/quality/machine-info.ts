import { execFile } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';

/** Where the report ran: its timings mean something only next to this. */
export interface MachineInfo {
  readonly cpuCount: number;
  readonly cpuModel: string;
  readonly memoryGb: number;
  readonly node: string;
  /** The first line of `ffmpeg -version`. */
  readonly ffmpeg: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const { stdout } = await promisify(execFile)('ffmpeg', ['-version']);
  return {
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    ffmpeg: stdout.split('\n')[0]?.trim() ?? 'unknown',
  };
}
