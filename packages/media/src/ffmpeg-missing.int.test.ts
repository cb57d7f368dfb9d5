import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('./index.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

let emptyBinDir: string;
beforeAll(async () => {
  emptyBinDir = await mkdtemp(join(tmpdir(), 'lacquer-no-ffmpeg-'));
});
afterAll(async () => {
  await rm(emptyBinDir, { recursive: true, force: true });
});

/**
 * Runs `body` (an async function body with `media` in scope) in a fresh Node process whose
 * PATH holds no ffmpeg or ffprobe (fluent-ffmpeg caches the binaries' paths for the life of a
 * process, so this cannot be faked inside the test worker); returns what it prints.
 */
async function withoutFfmpeg(body: string): Promise<string> {
  const script = `const media = await import(${JSON.stringify(ENTRY)});\n${body}`;
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: emptyBinDir };
  delete env.FFMPEG_PATH;
  delete env.FFPROBE_PATH;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', script],
    { cwd: REPO_ROOT, env },
  );
  return stdout.trim();
}

const CODE_OF = `const codeOf = (work) => work.then(() => 'resolved', (error) => error.code);`;

describe('without ffmpeg installed', () => {
  it('MEDIA_FFMPEG_MISSING from probeAudio, decodeAudio, decodeAudioBlocks and encodeAudio of FLAC and MP3; writing and decoding WAV need no ffmpeg (probing it does)', async () => {
    const output = await withoutFfmpeg(`${CODE_OF}
      const path = ${JSON.stringify(fixturePath('audio/metal-madness-mix-15s.flac'))};
      const codes = [
        await codeOf(media.probeAudio(path)),
        await codeOf(media.decodeAudio(path)),
        await codeOf(media.decodeAudioBlocks(path).next()),
        await codeOf(media.encodeAudio({ sampleRateHz: 44100, channels: [new Float32Array(10)] },
          ${JSON.stringify(join(emptyBinDir, 'out.flac'))}, { container: 'flac', sampleFormat: 'pcm16' })),
        await codeOf(media.encodeAudio({ sampleRateHz: 44100, channels: [new Float32Array(10)] },
          ${JSON.stringify(join(emptyBinDir, 'out.mp3'))}, { container: 'mp3', bitrateKbps: 320 })),
        await codeOf(media.encodeAudio({ sampleRateHz: 44100, channels: [new Float32Array(10)] },
          ${JSON.stringify(join(emptyBinDir, 'out.wav'))}, { container: 'wav', sampleFormat: 'pcm16' })),
        await codeOf(media.decodeAudio(${JSON.stringify(join(emptyBinDir, 'out.wav'))})),
        await codeOf(media.decodeAudioBlocks(${JSON.stringify(join(emptyBinDir, 'out.wav'))}).next()),
        await codeOf(media.probeAudio(${JSON.stringify(join(emptyBinDir, 'out.wav'))})),
      ];
      console.log(codes.join(' '));`);
    expect(output.split(' ')).toEqual([
      'MEDIA_FFMPEG_MISSING',
      'MEDIA_FFMPEG_MISSING',
      'MEDIA_FFMPEG_MISSING',
      'MEDIA_FFMPEG_MISSING',
      'MEDIA_FFMPEG_MISSING',
      'resolved',
      'resolved',
      'resolved',
      'MEDIA_FFMPEG_MISSING',
    ]);
  });
});
