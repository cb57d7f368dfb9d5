import { describe, expect, it } from 'vitest';
import { estimateKey, estimateKeyOf } from './estimate-key.ts';
import { type FrameSource, planarFrameSource } from './frame-source.ts';
import { measureThirdOctaveSpectrum, measureThirdOctaveSpectrumOf } from './measure-third-octave-spectrum.ts';
import { steppedNoise } from './test-support/random-blocks.ts';
import { measureMidSidePowerSpectra, measureMidSidePowerSpectraOf } from './welch-power-spectrum.ts';

const RATE_HZ = 44100;

/** A source that hands out copies and counts what it reads, as a file would. */
function countingSource(source: FrameSource): FrameSource & { framesRead: number } {
  const counting = {
    sampleRateHz: source.sampleRateHz,
    channelCount: source.channelCount,
    lengthSamples: source.lengthSamples,
    framesRead: 0,
    read(startFrame: number, target: readonly Float32Array[]) {
      counting.framesRead += target[0]?.length ?? 0;
      source.read(startFrame, target);
    },
  };
  return counting;
}

describe('frame-source features', () => {
  const audio = steppedNoise(RATE_HZ, 20);

  it('differential: the Of forms over a source equal the in-memory features bit for bit', () => {
    const source = countingSource(planarFrameSource(audio));
    expect(measureThirdOctaveSpectrumOf(source)).toEqual(measureThirdOctaveSpectrum(audio));
    expect(measureThirdOctaveSpectrumOf(source, -30)).toEqual(
      measureThirdOctaveSpectrum(audio, { minFrameRmsDbfs: -30 }),
    );
    const options = { segmentSamples: 8192, overlapRatio: 0.5, activityGate: true };
    expect(measureMidSidePowerSpectraOf(source, options)).toEqual(measureMidSidePowerSpectra(audio, options));
    expect(estimateKeyOf(source)).toEqual(estimateKey(audio));
    const mono = { sampleRateHz: RATE_HZ, channels: [audio.channels[0]!] };
    expect(measureMidSidePowerSpectraOf(planarFrameSource(mono))).toEqual(measureMidSidePowerSpectra(mono));
    expect(source.framesRead).toBeGreaterThan(0);
  });

  it('planarFrameSource copies the range it is asked for and rejects one outside the programme', () => {
    const source = planarFrameSource(audio);
    const target = [new Float32Array(5), new Float32Array(5)];
    source.read(100, target);
    expect(target[1]).toEqual(audio.channels[1]!.slice(100, 105));
    const invalid = expect.objectContaining({ code: 'DSP_INVALID_PARAMETER' });
    expect(() => source.read(source.lengthSamples - 4, target)).toThrow(invalid);
    expect(() => source.read(0, [new Float32Array(5)])).toThrow(invalid);
  });
});
