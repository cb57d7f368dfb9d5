import type { FrameSource } from '@lacquer/dsp';
import type { FloatFrameFileDescriptor } from '@lacquer/media';

/**
 * The descriptor of a store that a pool thread can open by itself (a `FloatFrameFile` of
 * @lacquer/media has one), or `null` (any other `FrameSource`: the job then runs inline).
 */
export function descriptorOf(store: FrameSource): FloatFrameFileDescriptor | null {
  const candidate = store as FrameSource & { descriptor?: unknown };
  return typeof candidate.descriptor === 'function'
    ? (candidate.descriptor as () => FloatFrameFileDescriptor)()
    : null;
}
