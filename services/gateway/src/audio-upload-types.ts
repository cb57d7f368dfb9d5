/**
 * Media types the gateway accepts for uploads: audio that ffmpeg decodes (WAV, FLAC, AIFF,
 * MP3, AAC/M4A, Ogg Vorbis/Opus, WebM), under their registered and common legacy names.
 */
export const AUDIO_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'audio/wav',
  'audio/x-wav',
  'audio/wave',
  'audio/vnd.wave',
  'audio/flac',
  'audio/x-flac',
  'audio/aiff',
  'audio/x-aiff',
  'audio/mpeg',
  'audio/mp3',
  'audio/aac',
  'audio/x-aac',
  'audio/mp4',
  'audio/x-m4a',
  'audio/m4a',
  'audio/ogg',
  'audio/opus',
  'audio/webm',
]);

/** File name extensions (lowercase, without the dot) of the formats above. */
export const AUDIO_FILE_EXTENSIONS: ReadonlySet<string> = new Set([
  'wav',
  'wave',
  'flac',
  'aif',
  'aiff',
  'aifc',
  'mp3',
  'aac',
  'm4a',
  'mp4',
  'ogg',
  'oga',
  'opus',
  'webm',
]);

/**
 * The media type of a declared `Content-Type` when it is an accepted audio type: lowercased,
 * without parameters (`Audio/WAV; rate=44100` → `audio/wav`); `null` otherwise.
 */
export function audioContentType(contentType: string): string | null {
  const essence = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return AUDIO_CONTENT_TYPES.has(essence) ? essence : null;
}

/** True when `filename` ends in an audio extension (`mix.WAV`, `song.final.flac`). */
export function hasAudioExtension(filename: string): boolean {
  const dot = filename.lastIndexOf('.');
  return dot > 0 && AUDIO_FILE_EXTENSIONS.has(filename.slice(dot + 1).toLowerCase());
}
