// Benchmark: one 3-minute song through the local platform (upload → job → completed, every
// service its own process on NATS JetStream) next to `lacquer master` on the same file, run
// from this one process, interleaved.
//
//   pnpm bench:platform [--corpus ../shared/corpus] [--song muldjord/chaos_god] [--runs 3]
//
// Prints a table of median wall times. The platform adds the upload, the hand-offs between
// services, the blob store round trips and the separate decode in the analyzer and the
// mastering worker; the table shows what that costs.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { ffmpegLoudness } from '@lacquer/testing/ffmpeg-meter';
import { lacquerClient } from '../local-stack/lacquer-client.ts';
import { createLocalPlatform } from '../local-stack/local-platform.ts';
import { median, prepareBenchInput } from './bench-input.ts';
import { runMeasured } from './run-measured.ts';

const input = await prepareBenchInput();
if (!input) process.exit(0);
const platform = await createLocalPlatform();
try {
  await platform.start();
  const client = lacquerClient(platform.gatewayUrl, platform.apiKey);
  const seconds = (start: number): number => (performance.now() - start) / 1000;
  const rows = { cli: [] as number[], upload: [] as number[], job: [] as number[], total: [] as number[] };
  const peakMb: number[] = [];
  let lastJobId = '';
  for (let run = 0; run < input.runs; run++) {
    const cli = await runMeasured([
      'node',
      'packages/cli/bin/lacquer.mjs',
      'master',
      input.mixPath,
      '--out',
      join(input.workDir, `cli-${run}`),
    ]);
    rows.cli.push(cli.wallSeconds);
    peakMb.push(cli.peakTreeRssMb);

    const start = performance.now();
    const uploadId = await client.upload(input.mixPath, 'audio/wav');
    const uploaded = performance.now();
    const { jobId } = await client.createJob({ input: { uploadId } });
    const events = await client.events(jobId);
    const last = JSON.parse(events.at(-1)?.data ?? '{}') as { status?: string };
    if (last.status !== 'completed') throw new Error(`job ${jobId} ended ${JSON.stringify(last)}`);
    rows.total.push(seconds(start));
    rows.upload.push((uploaded - start) / 1000);
    rows.job.push(seconds(uploaded));
    lastJobId = jobId;
  }
  // The platform's master, checked with ffmpeg's own meter (ebur128=peak=true).
  const masterPath = join(input.workDir, 'platform-master.wav');
  await client.download(lastJobId, 'master.wav', masterPath);
  const measured = await ffmpegLoudness(masterPath);
  console.log(`input: ${input.song} as an unmastered mix (24-bit WAV), ${input.runs} runs, median wall time`);
  console.log('| path | wall time (s) |');
  console.log('|---|---|');
  console.log(`| \`lacquer master\` (CLI, in-process) | ${median(rows.cli).toFixed(2)} |`);
  console.log(`| platform: upload → completed | ${median(rows.total).toFixed(2)} |`);
  console.log(`| … of which upload (POST /v1/uploads + PUT) | ${median(rows.upload).toFixed(2)} |`);
  console.log(`| … of which job (POST /v1/jobs → SSE completed) | ${median(rows.job).toFixed(2)} |`);
  console.log(`CLI peak memory (process tree): ${Math.max(...peakMb).toFixed(0)} MB`);
  console.log(
    `platform master by ffmpeg ebur128: ${measured.integratedLufs.toFixed(2)} LUFS, ${measured.truePeakDbtp.toFixed(2)} dBTP (target -14 LUFS, ceiling -1 dBTP)`,
  );
} finally {
  await platform.close();
  rmSync(input.workDir, { recursive: true, force: true });
}
