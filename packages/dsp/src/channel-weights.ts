/**
 * BS.1770-4 channel weights G_i (§2.3, Table 3) by channel count, in the WAV/ffmpeg channel
 * order: mono and stereo 1.0 each; 5.0 as L R C Ls Rs; 5.1 as L R C LFE Ls Rs with the LFE
 * excluded (0) and the surrounds at 1.41 (+1.5 dB). Other counts weight every channel 1.0.
 */
export function defaultChannelWeights(channelCount: number): readonly number[] {
  if (channelCount === 5) return [1, 1, 1, 1.41, 1.41];
  if (channelCount === 6) return [1, 1, 1, 0, 1.41, 1.41];
  return Array.from({ length: channelCount }, () => 1);
}
