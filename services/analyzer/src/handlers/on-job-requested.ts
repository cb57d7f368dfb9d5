import { join } from 'node:path';
import { create } from '@bufbuild/protobuf';
import { AudioFormatSchema, jobEventContext, TrackAnalyzedSchema } from '@lacquer/contracts';
import { toJson } from '@lacquer/engine';
import {
  artifactObjectKey,
  type JobEventHandler,
  levelMeasures,
  storeArtifact,
  type WorkerPorts,
  withScratchDir,
} from '@lacquer/runtime';
import type { AnalyzedFiles, AnalyzeFilesInput } from '../tasks/analyze-files.ts';

/**
 * JobRequested → download the mix (and reference) → analyze in the task pool → store
 * analysis.json → publish TrackAnalyzed with the input's format and headline measures.
 */
export function onJobRequested(
  ports: WorkerPorts,
  options: { maxDurationSeconds: number; longFileSeconds: number },
): JobEventHandler {
  return async ({ event, jobId, tenantId, log, signal, publish }) => {
    if (event.type !== 'JobRequested') return;
    const request = event.data;
    await withScratchDir(async (dir) => {
      const inputPath = join(dir, 'input');
      const referencePath = request.referenceObjectKey ? join(dir, 'reference') : null;
      await ports.blobStore.getToFile(request.inputObjectKey, inputPath);
      if (request.referenceObjectKey && referencePath) {
        await ports.blobStore.getToFile(request.referenceObjectKey, referencePath);
      }
      const task: AnalyzeFilesInput = {
        inputPath,
        referencePath,
        maxDurationSeconds: options.maxDurationSeconds,
        longFileSeconds: options.longFileSeconds,
      };
      const analyzed = await ports.tasks.run<AnalyzedFiles>('analyzeFiles', task, { signal });
      const analysis = await storeArtifact(ports.blobStore, {
        name: 'analysis.json',
        key: artifactObjectKey({ tenantId, jobId, artifact: 'analysis.json' }),
        contentType: 'application/json',
        bytes: Buffer.from(toJson(analyzed, 2)),
      });
      const { input, reference } = analyzed;
      log.info({ integratedLufs: input.integratedLufs, truePeakDbtp: input.truePeakDbtp }, 'analyzed');
      await publish({
        type: 'TrackAnalyzed',
        data: create(TrackAnalyzedSchema, {
          context: jobEventContext(jobId, tenantId, ports.now()),
          analysis,
          inputFormat: create(AudioFormatSchema, {
            sampleRateHz: input.sampleRateHz,
            channelCount: input.channelCount,
            durationMs: Math.round(input.durationSeconds * 1000),
          }),
          inputMeasures: levelMeasures(input),
          ...(reference ? { referenceMeasures: levelMeasures(reference) } : {}),
        }),
      });
    });
  };
}
