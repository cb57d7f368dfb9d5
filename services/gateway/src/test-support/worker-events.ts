import { create } from '@bufbuild/protobuf';
import {
  JobCompletedSchema,
  type JobEvent,
  JobStep,
  JobStepStartedSchema,
  jobEventContext,
  jobEventMessageId,
  LevelMeasuresSchema,
  MasteringDecidedSchema,
  MasterRenderedSchema,
  TrackAnalyzedSchema,
} from '@lacquer/contracts';
import { artifactObjectKey, type BlobStore, type JobEventPublisher, storeArtifact } from '@lacquer/runtime';

/** The bytes the simulated mastering step stores as `master.wav`. */
export const MASTER_BYTES = new Uint8Array(Array.from({ length: 4096 }, (_, index) => index % 251));

const measures = (integratedLoudnessLufs: number) =>
  create(LevelMeasuresSchema, {
    integratedLoudnessLufs,
    loudnessRangeLu: 6,
    momentaryMaxLoudnessLufs: integratedLoudnessLufs + 4,
    shortTermMaxLoudnessLufs: integratedLoudnessLufs + 2,
    truePeakDbtp: -1.2,
    samplePeakDbfs: -1.5,
    plrDb: 12,
    rmsDbfs: integratedLoudnessLufs - 1,
    crestFactorDb: 11,
  });

/**
 * The events the workers publish for a job that succeeds, in order (analyze, decide, master,
 * complete), storing `master.wav` and `preview.mp3` in `blobStore` as the mastering step would.
 */
export async function workerEvents(
  blobStore: BlobStore,
  ids: { readonly jobId: string; readonly tenantId: string },
): Promise<readonly { readonly event: JobEvent; readonly messageId: string }[]> {
  const { jobId, tenantId } = ids;
  const context = () => jobEventContext(jobId, tenantId, new Date());
  const master = await storeArtifact(blobStore, {
    name: 'master.wav',
    key: artifactObjectKey({ tenantId, jobId, artifact: 'master.wav' }),
    contentType: 'audio/wav',
    bytes: MASTER_BYTES,
  });
  const preview = await storeArtifact(blobStore, {
    name: 'preview.mp3',
    key: artifactObjectKey({ tenantId, jobId, artifact: 'preview.mp3' }),
    contentType: 'audio/mpeg',
    bytes: new Uint8Array([0xff, 0xfb, 0x90, 0x00]),
  });
  const started = (step: JobStep): { event: JobEvent; messageId: string } => ({
    event: {
      type: 'JobStepStarted',
      data: create(JobStepStartedSchema, { context: context(), step, attempt: 1 }),
    },
    messageId: jobEventMessageId('JobStepStarted', jobId, `${JobStep[step]}:1`),
  });
  const fact = (event: JobEvent) => ({ event, messageId: jobEventMessageId(event.type, jobId) });
  return [
    started(JobStep.ANALYZE),
    fact({
      type: 'TrackAnalyzed',
      data: create(TrackAnalyzedSchema, { context: context(), inputMeasures: measures(-20) }),
    }),
    started(JobStep.DECIDE),
    fact({
      type: 'MasteringDecided',
      data: create(MasteringDecidedSchema, { context: context(), notes: ['louder'] }),
    }),
    started(JobStep.MASTER),
    fact({
      type: 'MasterRendered',
      data: create(MasterRenderedSchema, {
        context: context(),
        artifacts: [master, preview],
        outputMeasures: measures(-14),
        renderDurationMs: 1200,
      }),
    }),
    fact({ type: 'JobCompleted', data: create(JobCompletedSchema, { context: context() }) }),
  ];
}

/** Publishes `events` in order. */
export async function publishAll(
  publisher: JobEventPublisher,
  events: readonly { readonly event: JobEvent; readonly messageId: string }[],
): Promise<void> {
  for (const { event, messageId } of events) await publisher.publish(event, { messageId });
}
