import type { ChildProcess } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { LacquerError } from '@lacquer/errors';
// The only import of fluent-ffmpeg in Lacquer: its upstream is archived, so everything else
// goes through this module and a replacement touches one file.
import ffmpeg from 'fluent-ffmpeg';

/** Lines of ffmpeg's stderr kept in `details.stderrTail` of a failure. */
const STDERR_TAIL_LINES = 12;
/** Chunks of ffmpeg's stdout (≤ 32 KiB each with `-flush_packets 0`) read ahead of the consumer. */
const STDOUT_READ_AHEAD_CHUNKS = 16;

/** What ffprobe reports about one stream, reduced to the fields Lacquer reads, numbers parsed. */
export interface FfprobeStream {
  /** Stream index in the container. */
  readonly index: number;
  /** `audio`, `video`, `subtitle`, `data`, … */
  readonly codecType: string | undefined;
  /** ffmpeg's decoder name (`flac`, `pcm_s24le`, `mp3`, `vorbis`). */
  readonly codecName: string | undefined;
  /** Sample rate in Hz (audio streams). */
  readonly sampleRateHz: number | undefined;
  /** Channels (audio streams). */
  readonly channelCount: number | undefined;
  /** ffmpeg's layout name (`mono`, `stereo`, `5.1(side)`), absent when the file does not say. */
  readonly channelLayout: string | undefined;
  /** The stream's own duration, as the container declares or ffmpeg estimates it. */
  readonly durationSeconds: number | undefined;
  /** Bits per coded sample (PCM: 16, 24, 32); absent (not 0) for lossy codecs and FLAC. */
  readonly bitsPerSample: number | undefined;
  /** Bits of precision of the source samples (FLAC 24-bit: 24); absent when unknown. */
  readonly bitsPerRawSample: number | undefined;
}

/** ffprobe's report on a file (`-show_format -show_streams`). */
export interface FfprobeReport {
  /** Demuxer name(s), comma-separated as ffprobe prints them (`wav`, `mov,mp4,m4a,3gp,3g2,mj2`). */
  readonly formatName: string | undefined;
  /** Duration of the whole container (the longest stream). */
  readonly formatDurationSeconds: number | undefined;
  /** Every stream, in container order. */
  readonly streams: readonly FfprobeStream[];
}

/** One ffmpeg run: an input (file path or byte stream), options, an output (file path or stdout). */
export interface FfmpegJob {
  /** A file path (made absolute and passed as a `file:` URL, so no protocol is ever guessed from it) or a stream for stdin. */
  readonly input: string | Readable;
  /** Options placed before `-i` (global options such as `-xerror` go here too). */
  readonly inputOptions: readonly string[];
  /** Options placed before the output. */
  readonly outputOptions: readonly string[];
  /** A file path (as for `input`), or `{ stdout: true }` to read ffmpeg's output from {@link FfmpegRun.stdout}. */
  readonly output: string | { readonly stdout: true };
  /** Code of the {@link LacquerError} that a failed run rejects with. */
  readonly failureCode: 'MEDIA_DECODE_FAILED' | 'MEDIA_ENCODE_FAILED';
  /** Called with every line ffmpeg writes to stderr (to spot warnings), in order. */
  readonly onStderrLine?: (line: string) => void;
}

/** A running ffmpeg process. */
export interface FfmpegRun {
  /**
   * ffmpeg's stdout when the job asked for it: an object-mode stream of `Buffer` chunks as
   * ffmpeg wrote them, read ahead by at most 16 chunks (backpressure stops ffmpeg beyond). It
   * ends when ffmpeg's stdout does, or when ffmpeg never started.
   */
  readonly stdout: Readable | undefined;
  /**
   * Settles once ffmpeg has exited and been reaped. Resolves on exit status 0 and after
   * {@link FfmpegRun.stop}; rejects with a {@link LacquerError}: `MEDIA_FFMPEG_MISSING` when
   * ffmpeg is not installed, else the job's `failureCode` with `details.stderrTail` (ffmpeg's
   * last stderr lines). A rejection nobody awaits is not reported as unhandled.
   */
  readonly exited: Promise<void>;
  /** Kills ffmpeg (SIGKILL) if it still runs and resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Runs ffprobe on `path` (made absolute, read as a `file:` URL).
 *
 * @throws LacquerError `MEDIA_FFMPEG_MISSING` when ffprobe is not installed (nor on `PATH`,
 *   nor at `FFPROBE_PATH`); `MEDIA_UNSUPPORTED` when ffprobe cannot read the file (not a
 *   media file, truncated before its first packet, unreadable), with `details.stderrTail`.
 */
export function runFfprobe(path: string): Promise<FfprobeReport> {
  return new Promise((resolve, reject) => {
    let settled = false;
    // `-v error`: stderr carries the reason of a failure and nothing else.
    ffmpeg.ffprobe(fileUrl(path), ['-v', 'error'], (error: unknown, data) => {
      if (settled) return; // fluent-ffmpeg may call back twice when the spawn itself fails
      settled = true;
      if (error === null || error === undefined) {
        resolve(toReport(data));
      } else if (isMissingBinary(error, 'ffprobe')) {
        reject(missingError('ffprobe', error));
      } else {
        const message = error instanceof Error ? error.message : String(error);
        reject(
          new LacquerError('MEDIA_UNSUPPORTED', `ffprobe cannot read ${path}`, {
            cause: error,
            details: { path, stderrTail: tailLines(message.split('\n').slice(1).join('\n')) },
          }),
        );
      }
    });
  });
}

/**
 * Starts ffmpeg for `job` (`-y` is the caller's to add for file outputs). Nothing is thrown:
 * every failure, the missing binary included, arrives through {@link FfmpegRun.exited}.
 */
export function startFfmpeg(job: FfmpegJob): FfmpegRun {
  const input = typeof job.input === 'string' ? fileUrl(job.input) : job.input;
  // No 'close' event: fluent-ffmpeg kills ffmpeg 20 ms after its output stream closes, and on a
  // loaded machine ffmpeg may not have exited by then although it wrote everything ("Output
  // stream closed"). Ending early is this module's business (`stop`), not the stream's.
  const stdout =
    typeof job.output === 'string'
      ? undefined
      : new PassThrough({
          readableObjectMode: true,
          readableHighWaterMark: STDOUT_READ_AHEAD_CHUNKS,
          emitClose: false,
        });
  const output = typeof job.output === 'string' ? fileUrl(job.output) : stdout!;
  const command = ffmpeg(input)
    .inputOptions([...job.inputOptions])
    .output(output)
    .outputOptions([...job.outputOptions]);

  let child: ChildProcess | undefined;
  let childExited: Promise<void> = Promise.resolve();
  let stopRequested = false;

  command.on('start', () => {
    // fluent-ffmpeg sets `ffmpegProc` right before emitting 'start'; its types do not list it.
    child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
    const spawned = child;
    if (spawned?.pid !== undefined) {
      // 'exit' (not 'close'): it does not wait for an unread stdout to drain.
      childExited = new Promise((resolve) => spawned.once('exit', () => resolve()));
      if (stopRequested) spawned.kill('SIGKILL');
    }
  });
  if (job.onStderrLine) command.on('stderr', job.onStderrLine);

  const outcome = new Promise<{ error?: unknown; stderr?: string | null }>((resolve) => {
    command.once('end', () => resolve({}));
    // `on`, not `once`: an 'error' event without a listener would throw.
    command.on('error', (error: unknown, _stdout: string | null, stderr: string | null) =>
      resolve({ error, stderr }),
    );
  });

  const exited = outcome.then(async ({ error, stderr }) => {
    await childExited;
    if (child?.pid === undefined) {
      // ffmpeg never ran (not installed, or a capability check failed): nothing else would
      // end the output stream a consumer may be reading, or release the input stream.
      stdout?.end();
      if (typeof job.input !== 'string') job.input.destroy();
    }
    if (error === undefined || stopRequested) return;
    if (isMissingBinary(error, 'ffmpeg')) throw missingError('ffmpeg', error);
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    throw new LacquerError(job.failureCode, `ffmpeg failed: ${message}`, {
      cause: error,
      details: { stderrTail: tailLines(stderr ?? '') },
    });
  });
  exited.catch(() => {}); // marks the rejection handled; callers that await still see it

  command.run();

  return {
    stdout,
    exited,
    async stop() {
      stopRequested = true;
      if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        child.stdout?.destroy(); // release what a consumer that stopped reading left in the pipe
      }
      await exited.catch(() => {});
    },
  };
}

function fileUrl(path: string): string {
  return `file:${resolvePath(path)}`;
}

function isMissingBinary(error: unknown, binary: 'ffmpeg' | 'ffprobe'): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { message, code } = error as { message?: unknown; code?: unknown };
  return code === 'ENOENT' || message === `Cannot find ${binary}`;
}

function missingError(binary: 'ffmpeg' | 'ffprobe', cause: unknown): LacquerError {
  return new LacquerError('MEDIA_FFMPEG_MISSING', `${binary} is not installed or not on PATH`, {
    cause,
    details: { binary },
  });
}

function tailLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .slice(-STDERR_TAIL_LINES);
}

function toReport(data: ffmpeg.FfprobeData): FfprobeReport {
  return {
    formatName: stringOrUndefined(data.format.format_name),
    formatDurationSeconds: positiveNumber(data.format.duration),
    streams: data.streams.map((stream) => ({
      index: stream.index,
      codecType: stringOrUndefined(stream.codec_type),
      codecName: stringOrUndefined(stream.codec_name),
      sampleRateHz: positiveNumber(stream.sample_rate),
      channelCount: positiveNumber(stream.channels),
      channelLayout: layoutName(stream.channel_layout),
      durationSeconds: positiveNumber(stream.duration),
      bitsPerSample: positiveNumber(stream.bits_per_sample),
      bitsPerRawSample: positiveNumber(stream.bits_per_raw_sample),
    })),
  };
}

/** fluent-ffmpeg parses numeric fields to numbers and leaves `N/A` as a string. */
function positiveNumber(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(parsed) && parsed > 0 ? parsed : undefined;
}

/**
 * fluent-ffmpeg's parser turns numeric-looking values into numbers: layout `5.1` arrives as
 * 5.1, and `4.0` as 4. Layout names that are numbers all have one decimal (ffmpeg's
 * `av_channel_layout_describe`), so the name is rebuilt with it.
 */
function layoutName(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  return stringOrUndefined(value);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value !== 'N/A' && value !== 'unknown'
    ? value
    : undefined;
}
