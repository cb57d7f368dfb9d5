import { stat } from 'node:fs/promises';
import { LacquerError } from '@lacquer/errors';
import { runFfprobe } from './ffmpeg-command.ts';

/** What a media file holds, from ffprobe: its first audio stream and the container around it. */
export interface AudioProbe {
  /** ffmpeg's demuxer name(s), comma-separated as ffprobe prints them: `wav`, `flac`, `ogg`, `mov,mp4,m4a,3gp,3g2,mj2`. */
  readonly formatName: string;
  /** ffmpeg's decoder of the first audio stream: `pcm_s24le`, `flac`, `mp3`, `vorbis`, `aac`. */
  readonly codecName: string;
  /** The stream's own sample rate in Hz (what decoding yields: Lacquer never resamples on decode). */
  readonly sampleRateHz: number;
  /** Channels of the stream (what decoding yields: never down-mixed). */
  readonly channelCount: number;
  /** ffmpeg's layout name (`mono`, `stereo`, `5.1`, `5.1(side)`); `undefined` when the file does not say. */
  readonly channelLayout: string | undefined;
  /**
   * Duration in seconds: the audio stream's own, else the container's; `undefined` when neither
   * is known (a stream without an index). As declared by the file (WAV data size, FLAC
   * STREAMINFO, Xing/LAME header, last Ogg granule) or, for MP3 without a Xing header and raw
   * ADTS AAC, estimated by ffmpeg from the bit rate: such estimates can be off by a factor of
   * several for VBR files.
   */
  readonly durationSeconds: number | undefined;
  /**
   * Bits per sample of the source: FLAC and PCM report theirs (16, 24, 32 for float);
   * `undefined` for lossy codecs, which have none.
   */
  readonly bitsPerSample: number | undefined;
  /** Size of the file in bytes. */
  readonly sizeBytes: number;
}

/** {@link AudioProbe} plus the facts the decoder needs and callers do not. */
export interface AudioInspection {
  readonly probe: AudioProbe;
  /** The audio stream's own declared duration (not the container's, which may be a longer video's). */
  readonly streamDurationSeconds: number | undefined;
}

/**
 * Describes the audio in the file at `path` (ffprobe; the first audio stream when there are
 * several, e.g. a video's or an MP3 with cover art).
 *
 * @throws LacquerError
 *   - `MEDIA_NOT_FOUND`: nothing at `path`, or not a regular file;
 *   - `MEDIA_EMPTY`: the file is 0 bytes;
 *   - `MEDIA_UNSUPPORTED`: ffprobe cannot read it (not media, truncated inside its header,
 *     no permission) or it has no audio stream (`details.stderrTail` has ffprobe's reason);
 *   - `MEDIA_FFMPEG_MISSING`: ffprobe is not installed.
 */
export async function probeAudio(path: string): Promise<AudioProbe> {
  return (await inspectAudio(path)).probe;
}

/** {@link probeAudio} with the stream's own duration, for the decoder; same errors. */
export async function inspectAudio(path: string): Promise<AudioInspection> {
  const sizeBytes = await fileSize(path);
  if (sizeBytes === 0) {
    throw new LacquerError('MEDIA_EMPTY', `${path} is empty (0 bytes)`, { details: { path, sizeBytes } });
  }
  const report = await runFfprobe(path);
  const stream = report.streams.find((candidate) => candidate.codecType === 'audio');
  if (!stream) {
    throw new LacquerError('MEDIA_UNSUPPORTED', `${path} has no audio stream`, {
      details: { path, formatName: report.formatName, streamTypes: report.streams.map((s) => s.codecType) },
    });
  }
  const { sampleRateHz, channelCount, codecName } = stream;
  if (sampleRateHz === undefined || channelCount === undefined || codecName === undefined) {
    throw new LacquerError(
      'MEDIA_UNSUPPORTED',
      `${path}: ffmpeg cannot tell the audio's rate, channels or codec`,
      {
        details: { path, formatName: report.formatName, codecName, sampleRateHz, channelCount },
      },
    );
  }
  return {
    probe: {
      formatName: report.formatName ?? 'unknown',
      codecName,
      sampleRateHz,
      channelCount,
      channelLayout: stream.channelLayout,
      durationSeconds: stream.durationSeconds ?? report.formatDurationSeconds,
      bitsPerSample: stream.bitsPerRawSample ?? stream.bitsPerSample,
      sizeBytes,
    },
    streamDurationSeconds: stream.durationSeconds,
  };
}

async function fileSize(path: string): Promise<number> {
  try {
    const stats = await stat(path);
    if (!stats.isFile()) {
      throw new LacquerError('MEDIA_NOT_FOUND', `${path} is not a file`, { details: { path } });
    }
    return stats.size;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new LacquerError('MEDIA_NOT_FOUND', `${path} does not exist`, {
        cause: error,
        details: { path },
      });
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new LacquerError('MEDIA_UNSUPPORTED', `${path} cannot be read`, {
        cause: error,
        details: { path },
      });
    }
    throw error;
  }
}
