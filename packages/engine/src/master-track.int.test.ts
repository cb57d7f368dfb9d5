import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeAudio, encodeAudio } from '@lacquer/media';
import { expectWithin, ffmpegLoudness, fixturePath } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveTarget } from './delivery-target.ts';
import { masterTrack } from './master-track.ts';

// The engine's promise (issue 2): within 0.1 LU of the target by its own meter, and by
// ffmpeg's independent meter within 0.3 LU with the true peak at or under the ceiling.
const OWN_METER_TOLERANCE_LU = 0.1;
const FFMPEG_TOLERANCE_LU = 0.3;
// ffmpeg prints the linear true peak to 3 decimals: ±0.0005 is ±0.005 dB near −1 dBTP.
const FFMPEG_PEAK_PRINT_RESOLUTION_DB = 0.005;

const FIXTURES = ['audio/metal-madness-mix-15s.flac', 'audio/chaos-god-mix-15s.flac'];
const TARGETS = [
  resolveTarget({}),
  resolveTarget({ integratedLufs: -9 }),
  resolveTarget({ preset: 'cd-club' }),
];

describe('differential: masters measured by ffmpeg ebur128', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lacquer-master-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const fixture of FIXTURES) {
    for (const target of TARGETS) {
      it(`${fixture} → ${target.integratedLufs} LUFS / ${target.truePeakCeilingDbtp} dBTP`, async () => {
        const audio = await decodeAudio(fixturePath(fixture));
        const mastered = await masterTrack(audio, { target });
        expectWithin(mastered.output.integratedLufs, target.integratedLufs, OWN_METER_TOLERANCE_LU, 'own I');
        expect(mastered.output.truePeakDbtp).toBeLessThanOrEqual(target.truePeakCeilingDbtp);
        for (const channel of mastered.master.channels) {
          expect(channel.every(Number.isFinite)).toBe(true);
          expect(channel.every((x) => Math.abs(x) < 1)).toBe(true);
        }

        const path = join(dir, `${fixture.replaceAll('/', '-')}-${target.integratedLufs}.wav`);
        await encodeAudio(mastered.master, path, { container: 'wav', sampleFormat: 'pcm24' });
        const ffmpeg = await ffmpegLoudness(path);
        expectWithin(ffmpeg.integratedLufs, target.integratedLufs, FFMPEG_TOLERANCE_LU, 'ffmpeg I');
        expect(ffmpeg.truePeakDbtp).toBeLessThanOrEqual(
          target.truePeakCeilingDbtp + FFMPEG_PEAK_PRINT_RESOLUTION_DB,
        );
        expect(mastered.plan.gain.reason.length).toBeGreaterThan(0);
      });
    }
  }
});
