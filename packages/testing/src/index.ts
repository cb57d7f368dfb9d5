export { stereoOf, type ToneSegment, toneSegments, truePeakSine } from './ebu-signals.ts';
export { expectWithin } from './expect-within.ts';
export { type FfmpegLoudness, ffmpegLoudness } from './ffmpeg-meter.ts';
export { fixturePath } from './fixtures.ts';
export { freePort } from './free-port.ts';
export { type NatsServer, startNatsServer } from './nats-server.ts';
export { concat, type SignalOptions, silence, sine, whiteNoise, xorshift32 } from './signals.ts';
export { waitFor } from './wait-for.ts';
