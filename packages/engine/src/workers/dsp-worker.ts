import type { PlanarAudio } from '@lacquer/dsp';
import { Piscina } from 'piscina';
import { type SpectralFeatures, spectralFeatures, weightedPower } from './dsp-tasks.ts';

// Worker entry of the DSP pool: the tasks of `dsp-tasks.ts`, with large results moved (not
// copied) back to the caller.

export function features(audio: PlanarAudio): SpectralFeatures {
  return spectralFeatures(audio);
}

export function power(audio: PlanarAudio) {
  return Piscina.move(weightedPower(audio));
}
