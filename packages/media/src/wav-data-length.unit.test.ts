import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { floatWavBytes } from './test-support/float-wav-bytes.ts';
import { readWavDataLength } from './wav-data-length.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lacquer-wav-header-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Offset of the data chunk's size field in {@link floatWavBytes} output: RIFF 12 + fmt 26 + fact 12 + 'data'. */
const DATA_SIZE_OFFSET = 12 + 26 + 12 + 4;

async function fileOf(bytes: Uint8Array): Promise<string> {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.wav`);
  await writeFile(path, bytes);
  return path;
}

describe('readWavDataLength', () => {
  const stereo = { sampleRateHz: 48_000, channels: [new Float32Array(100), new Float32Array(100)] };

  it('reads the declared data length and block align', async () => {
    expect(await readWavDataLength(await fileOf(floatWavBytes(stereo)))).toEqual({
      dataBytes: 800,
      blockAlignBytes: 8,
    });
  });

  it('still declares the full length when the file is cut short', async () => {
    const bytes = floatWavBytes(stereo);
    expect((await readWavDataLength(await fileOf(bytes.subarray(0, bytes.length - 80))))?.dataBytes).toBe(
      800,
    );
  });

  it.each([0, 0xffffffff])('reads a data size of %i as unknown (a WAV written to a pipe)', async (size) => {
    const bytes = floatWavBytes(stereo);
    bytes.writeUInt32LE(size, DATA_SIZE_OFFSET);
    expect(await readWavDataLength(await fileOf(bytes))).toEqual({
      dataBytes: undefined,
      blockAlignBytes: 8,
    });
  });

  it('skips unknown chunks, padded to even sizes', async () => {
    const wav = floatWavBytes(stereo);
    const junk = Buffer.alloc(8 + 5 + 1);
    junk.write('JUNK', 0, 'latin1');
    junk.writeUInt32LE(5, 4);
    const bytes = Buffer.concat([wav.subarray(0, 12), junk, wav.subarray(12)]);
    expect((await readWavDataLength(await fileOf(bytes)))?.dataBytes).toBe(800);
  });

  it('gives undefined for files that are not WAV, or stop before the data chunk', async () => {
    expect(
      await readWavDataLength(await fileOf(Buffer.from('fLaC and so on, not a wave file'))),
    ).toBeUndefined();
    expect(await readWavDataLength(await fileOf(floatWavBytes(stereo).subarray(0, 30)))).toBeUndefined();
    expect(await readWavDataLength(await fileOf(new Uint8Array(0)))).toBeUndefined();
  });
});
