import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { PlanarAudio } from '@lacquer/dsp';
import { PCM_SAMPLE_BYTES, type PcmSampleFormat, pcmSamples } from './pcm-samples.ts';
import { fmtBody, riffBytes, WAVE_FORMAT } from './riff-bytes.ts';
import { type TestMixOptions, testMix } from './test-mix.ts';

/** What the corpus's builders share: a scratch folder and ffmpeg. */
export interface BuildContext {
  /** {@link testMix}, made once per set of options (many files share one): copy before changing it. */
  mix(options: TestMixOptions): PlanarAudio;
  /** A plain canonical WAV (`WAVE_FORMAT_PCM` or `IEEE_FLOAT`, 16-byte `fmt `) of `audio`. */
  wav(audio: PlanarAudio, format: PcmSampleFormat): Buffer;
  /**
   * Runs the ffmpeg command line (not `@lacquer/media`: inputs are made independently of the
   * code under test) on `input` (a WAV written to the scratch folder) and returns the file it
   * wrote with `outputArgs`, which must end in the format (`-f flac`).
   */
  ffmpeg(input: Buffer, outputArgs: readonly string[]): Promise<Buffer>;
  /** ffmpeg with a lavfi source and no input file: `['-f', 'lavfi', '-i', …]` and output options. */
  ffmpegArgs(args: readonly string[]): Promise<Buffer>;
}

/** A {@link BuildContext} working in `scratchDir` (which must exist). */
export function buildContext(scratchDir: string): BuildContext {
  let runs = 0;
  let inputs = 0;
  const mixes = new Map<string, PlanarAudio>();
  const run = async (args: readonly string[]): Promise<Buffer> => {
    const output = join(scratchDir, `out-${++runs}`);
    await promisify(execFile)('ffmpeg', ['-hide_banner', '-v', 'error', '-nostdin', '-y', ...args, output]);
    return readFile(output);
  };
  return {
    mix(options) {
      const key = JSON.stringify(options);
      let audio = mixes.get(key);
      if (audio === undefined) {
        audio = testMix(options);
        mixes.set(key, audio);
      }
      return audio;
    },
    wav(audio, format) {
      const isFloat = format === 'f32' || format === 'f64';
      const fmt = fmtBody({
        formatTag: isFloat ? WAVE_FORMAT.ieeeFloat : WAVE_FORMAT.pcm,
        channelCount: audio.channels.length,
        sampleRateHz: audio.sampleRateHz,
        bitsPerSample: PCM_SAMPLE_BYTES[format] * 8,
      });
      return riffBytes([
        { id: 'fmt ', body: fmt },
        { id: 'data', body: pcmSamples(audio, format) },
      ]);
    },
    async ffmpeg(input, outputArgs) {
      const inputPath = join(scratchDir, `in-${++inputs}.wav`);
      await writeFile(inputPath, input);
      return run(['-i', inputPath, ...outputArgs]);
    },
    ffmpegArgs: run,
  };
}
