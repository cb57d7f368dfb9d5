import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { LacquerError } from '@lacquer/errors';
import { declaredLength } from './declared-length.ts';
import { createF32leFrameReader } from './f32le-frame-reader.ts';
import { startFfmpeg } from './ffmpeg-command.ts';
import { findNonFiniteSample } from './find-non-finite-sample.ts';
import { type AudioProbe, inspectAudio } from './probe-audio.ts';
import { readWavDataLength } from './wav-data-length.ts';

/** Options of the decoders. */
export interface DecodeOptions {
  /**
   * Longest audio accepted, in seconds (finite, > 0); longer input fails with `MEDIA_TOO_LONG`:
   * before decoding when the audio stream declares its duration (not when ffmpeg merely
   * estimates it from the bit rate), and in any case as soon as the decoded count passes it.
   * A plain PCM WAV is measured from its header and size, before anything is decoded.
   * Default: no limit.
   */
  readonly maxDurationSeconds?: number;
}

/** An opened decode: the probe, and the decoded frames on demand. */
export interface DecodeStream {
  readonly probe: AudioProbe;
  /**
   * Starts ffmpeg and yields the decoded audio as runs of whole interleaved frames (float32,
   * `probe.channelCount` samples per frame, at `probe.sampleRateHz`). Each run is a view valid
   * only until the next step: copy it. Every check of `decodeAudioBlocks` happens here;
   * leaving the loop early kills ffmpeg and waits for it to exit.
   */
  frames(): AsyncGenerator<Float32Array, void, undefined>;
}

/** ffmpeg's warning when a duration is a guess from the bit rate (libavformat `estimate_timings`). */
const DURATION_ESTIMATE_WARNING = 'Estimating duration from bitrate';

/**
 * Probes `path` and prepares its decode (`decodeAudioBlocks` and `decodeAudio` are built on
 * this). Probe errors are thrown here; decode errors from {@link DecodeStream.frames}.
 */
export async function openDecodeStream(path: string, options: DecodeOptions): Promise<DecodeStream> {
  assertDecodeOptions(options);
  const { maxDurationSeconds } = options;
  const { probe, streamDurationSeconds } = await inspectAudio(path);
  // A header that cannot be read (the file just vanished) only costs the WAV-specific checks.
  const wav = probe.formatName === 'wav' ? await readWavDataLength(path).catch(() => undefined) : undefined;
  const { sampleRateHz, channelCount } = probe;
  const maxFrames =
    maxDurationSeconds === undefined ? undefined : Math.floor(maxDurationSeconds * sampleRateHz);

  async function* frames(): AsyncGenerator<Float32Array, void, undefined> {
    let durationEstimated = false;
    // A WAV written to a pipe declares no length; its last packet then comes up short, which
    // `-xerror` would take for a truncated file. Everything else fails on the first error.
    const streamedWav = wav !== undefined && wav.dataBytes === undefined;
    const run = startFfmpeg({
      input: path,
      inputOptions: ['-nostdin', '-hide_banner', '-v', 'warning', ...(streamedWav ? [] : ['-xerror'])],
      outputOptions: [
        ['-map', '0:a:0'],
        // Pinned to the probe so that the framing below holds even if the stream changes format midway.
        ['-ac', String(channelCount), '-ar', String(sampleRateHz)],
        // Without this ffmpeg flushes every packet into the pipe (8 KiB for Vorbis): 4× the reads.
        ['-flush_packets', '0'],
        ['-c:a', 'pcm_f32le', '-f', 'f32le'],
      ].flat(),
      output: { stdout: true },
      failureCode: 'MEDIA_DECODE_FAILED',
      onStderrLine: (line) => {
        if (line.includes(DURATION_ESTIMATE_WARNING)) durationEstimated = true;
      },
    });
    const reader = createF32leFrameReader(channelCount);
    let framesDecoded = 0;
    let inputOpened = false;
    try {
      for await (const chunk of run.stdout as AsyncIterable<Buffer>) {
        if (!inputOpened) {
          inputOpened = true;
          // ffmpeg has opened the input, so its warnings about it are written; one turn of the
          // event loop lets a line that arrived with this chunk be read too.
          await nextLoopTurn();
          // The audio stream's own duration only: a container's may be a longer video's.
          const declaredSeconds = durationEstimated ? undefined : streamDurationSeconds;
          if (
            maxDurationSeconds !== undefined &&
            declaredSeconds !== undefined &&
            declaredSeconds > maxDurationSeconds
          ) {
            throw tooLong(path, maxDurationSeconds, { declaredSeconds });
          }
        }
        for (const samples of reader.push(chunk)) {
          const bad = findNonFiniteSample(samples);
          if (bad >= 0) {
            const frame = framesDecoded + Math.floor(bad / channelCount);
            throw new LacquerError('MEDIA_INVALID_SAMPLES', `${path} decodes to NaN or infinite samples`, {
              details: {
                path,
                frame,
                seconds: frame / sampleRateHz,
                channel: bad % channelCount,
                value: String(samples[bad]),
              },
            });
          }
          framesDecoded += samples.length / channelCount;
          if (maxFrames !== undefined && framesDecoded > maxFrames) {
            throw tooLong(path, maxDurationSeconds!, { decodedSecondsAtLeast: framesDecoded / sampleRateHz });
          }
          yield samples;
        }
      }
      await run.exited; // MEDIA_DECODE_FAILED (with ffmpeg's stderr tail) or MEDIA_FFMPEG_MISSING
      if (reader.pendingBytes !== 0) {
        throw new LacquerError('MEDIA_DECODE_FAILED', `ffmpeg's output for ${path} ended inside a frame`, {
          details: { path, pendingBytes: reader.pendingBytes },
        });
      }
      if (framesDecoded === 0) {
        throw new LacquerError('MEDIA_EMPTY', `${path} decodes to no samples`, { details: { path } });
      }
      const declared = declaredLength({
        codecName: probe.codecName,
        sampleRateHz,
        streamDurationSeconds,
        durationEstimated,
        wavDataBytes: wav?.dataBytes,
        wavBlockAlignBytes: wav?.blockAlignBytes,
      });
      if (declared && framesDecoded < declared.frames - declared.toleranceFrames) {
        throw new LacquerError('MEDIA_DECODE_FAILED', `${path} is truncated`, {
          details: {
            path,
            reason: 'truncated',
            declaredBy: declared.source,
            declaredSeconds: declared.frames / sampleRateHz,
            decodedSeconds: framesDecoded / sampleRateHz,
          },
        });
      }
    } finally {
      await run.stop(); // no-op once ffmpeg has exited; kills it when the loop is left early
    }
  }

  return { probe, frames };
}

/**
 * Validates the options every decoder takes.
 *
 * @throws LacquerError `MEDIA_INVALID_ARGUMENT` when `maxDurationSeconds` is not finite and positive.
 */
export function assertDecodeOptions(options: DecodeOptions): void {
  const { maxDurationSeconds } = options;
  if (maxDurationSeconds !== undefined && !(Number.isFinite(maxDurationSeconds) && maxDurationSeconds > 0)) {
    throw new LacquerError('MEDIA_INVALID_ARGUMENT', `maxDurationSeconds must be finite and positive`, {
      details: { maxDurationSeconds },
    });
  }
}

function tooLong(path: string, maxDurationSeconds: number, measured: Record<string, number>): LacquerError {
  return new LacquerError('MEDIA_TOO_LONG', `${path} is longer than ${maxDurationSeconds} s`, {
    details: { path, maxDurationSeconds, ...measured },
  });
}
