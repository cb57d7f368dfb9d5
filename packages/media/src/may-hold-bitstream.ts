/** Bytes from the start of the samples that ffmpeg probes for an IEC 61937 burst (`set_spdif` in libavformat `wavdec.c`): 64 KiB. */
const SPDIF_PROBE_BYTES = 1 << 16;
/** Bytes from the start of the samples that ffmpeg probes 16-bit PCM for another codec: 32 packets of 4 KiB. */
export const CODEC_PROBE_BYTES = 32 * 4096;

/** IEC 61937 preamble Pa Pb (0xF872 0x4E1F) as 16-bit little-endian words, the bytes `ff_spdif_probe` looks for. */
const IEC61937_SYNC = 0x72_f8_1f_4e;
/** DTS sync words as ffmpeg's `dts_probe` reads them (two big-endian 16-bit words at an even offset). */
const DTS_SYNCS = [
  0x7f_fe_80_01, // core, 16-bit big-endian
  0xfe_7f_01_80, // core, 16-bit little-endian
  0x1f_ff_e8_00, // core, 14-bit big-endian
  0xff_1f_00_e8, // core, 14-bit little-endian
  0x64_58_20_25, // extension substream (DTS-HD)
] as const;
/** `dts_probe` needs more than 3 frames of one kind to claim the data. */
const DTS_MIN_SYNCS = 4;

/**
 * Whether the first bytes of a PCM WAV's samples may be a compressed bitstream that ffmpeg
 * would decode as such rather than as PCM: a necessary condition of ffmpeg's own probes, cheap
 * to test, so that a file for which this is false is PCM to ffmpeg too.
 *
 * - Every PCM WAV (format tag 1): an IEC 61937 burst preamble (AC-3, DTS, AAC, MPEG passed
 *   through S/PDIF and recorded as PCM) anywhere in the first {@link SPDIF_PROBE_BYTES}
 *   (`set_spdif`, `ff_spdif_probe`).
 * - 16-bit PCM only (`probe16Bit`): four DTS sync words of one kind at even offsets in the first
 *   {@link CODEC_PROBE_BYTES} (the DTS CD rip: 14-bit DTS in 16-bit stereo PCM), which
 *   libavformat's packet probing of `pcm_s16le` streams (`request_probe`) turns into DTS.
 *   Not tested here: that probing could also claim AC-3, MP3 or AAC without S/PDIF framing, a
 *   layout no known writer produces.
 *
 * False positives are harmless (the caller then decodes through ffmpeg) and rare: a sync word
 * is 32 bits.
 *
 * @param samples the first bytes of the `data` chunk (at most the probe sizes above are read).
 */
export function mayHoldBitstream(samples: Uint8Array, probe16Bit: boolean): boolean {
  const spdifEnd = Math.min(samples.length, SPDIF_PROBE_BYTES);
  let state = 0;
  for (let i = 0; i < spdifEnd; i++) {
    state = ((state << 8) | samples[i]!) >>> 0;
    if (state === IEC61937_SYNC) return true;
  }
  if (!probe16Bit) return false;
  const counts = DTS_SYNCS.map(() => 0);
  const codecEnd = Math.min(samples.length, CODEC_PROBE_BYTES) - 3;
  for (let i = 0; i < codecEnd; i += 2) {
    const word =
      ((samples[i]! << 24) | (samples[i + 1]! << 16) | (samples[i + 2]! << 8) | samples[i + 3]!) >>> 0;
    const kind = DTS_SYNCS.indexOf(word as (typeof DTS_SYNCS)[number]);
    if (kind >= 0 && ++counts[kind]! >= DTS_MIN_SYNCS) return true;
  }
  return false;
}
