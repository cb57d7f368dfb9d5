export { expectWithin } from './expect-within.ts';
export { fixturePath } from './fixtures.ts';
export { concat, silence, sine, whiteNoise, type SignalOptions } from './signals.ts';
export { stereoOf, type ToneSegment, toneSegments, truePeakSine } from './ebu-signals.ts';
