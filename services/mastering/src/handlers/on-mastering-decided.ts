import { create } from '@bufbuild/protobuf';
import {
  JobCompletedSchema,
  jobEventContext,
  type MasteringDecided,
  MasterRenderedSchema,
} from '@lacquer/contracts';
import { type Analysis, type MasteringPlan, toJson } from '@lacquer/engine';
import {
  artifactObjectKey,
  type JobEventDelivery,
  type JobEventHandler,
  levelMeasures,
  readJobRequest,
  readJsonDocument,
  storeArtifact,
  type WorkerPorts,
  withScratchDir,
} from '@lacquer/runtime';
import type { RenderedMasterFile, RenderMasterFileInput } from '../tasks/render-master-file.ts';

/** Settings of the mastering step. */
interface MasteringOptions {
  readonly maxDurationSeconds: number;
  /** Longer programmes render from a scratch file in blocks (`LACQUER_LONG_FILE_SECONDS`). */
  readonly longFileSeconds: number;
}

/**
 * MasteringDecided → download the mix, read the plan (decision.json) and where the preview
 * goes (analysis.json) → render in the task pool → store master.wav, preview.mp3 and
 * report.json → publish MasterRendered, then JobCompleted (the last step of a job, until
 * later steps such as stems and release packages exist). A redelivery after MasterRendered
 * went out only publishes JobCompleted. Every artifact is a function of the input and the
 * plan (no timings in report.json), so a repeated render writes the same bytes.
 */
export function onMasteringDecided(ports: WorkerPorts, options: MasteringOptions): JobEventHandler {
  return async (delivery) => {
    const { event, jobId, tenantId } = delivery;
    if (event.type !== 'MasteringDecided') return;
    if (!(await delivery.isPublished('MasterRendered'))) {
      await renderAndStore(ports, delivery, event.data, options);
    }
    await delivery.publish({
      type: 'JobCompleted',
      data: create(JobCompletedSchema, { context: jobEventContext(jobId, tenantId, ports.now()) }),
    });
  };
}

async function renderAndStore(
  ports: WorkerPorts,
  { jobId, tenantId, log, signal, publish }: JobEventDelivery,
  decided: MasteringDecided,
  options: MasteringOptions,
): Promise<void> {
  const started = performance.now();
  const request = await readJobRequest(ports.jsm, jobId);
  const key = (artifact: 'analysis.json' | 'decision.json' | 'master.wav' | 'preview.mp3' | 'report.json') =>
    artifactObjectKey({ tenantId, jobId, artifact });
  const plan = await readJsonDocument<MasteringPlan>(
    ports.blobStore,
    decided.decision?.objectKey ?? key('decision.json'),
  );
  const analysis = await readJsonDocument<{ input: Analysis }>(ports.blobStore, key('analysis.json'));

  const artifacts = await withScratchDir(async (dir) => {
    const inputPath = `${dir}/input`;
    await ports.blobStore.getToFile(request.inputObjectKey, inputPath);
    const task: RenderMasterFileInput = {
      inputPath,
      plan,
      loudestSection: analysis.input.loudestSection,
      outDir: dir,
      maxDurationSeconds: options.maxDurationSeconds,
      longFileSeconds: options.longFileSeconds,
    };
    const rendered = await ports.tasks.run<RenderedMasterFile>('renderMasterFile', task, { signal });
    log.info(
      {
        integratedLufs: rendered.output.integratedLufs,
        truePeakDbtp: rendered.output.truePeakDbtp,
        stageSeconds: { ...rendered.stageSeconds, ...rendered.render.stageSeconds },
      },
      'rendered',
    );
    const { stageSeconds: _timings, ...render } = rendered.render;
    const report = {
      target: plan.target,
      inputMeasures: analysis.input,
      outputMeasures: rendered.output,
      render,
    };
    return {
      output: rendered.output,
      stored: await Promise.all([
        storeArtifact(ports.blobStore, {
          name: 'master.wav',
          key: key('master.wav'),
          contentType: 'audio/wav',
          path: rendered.masterPath,
        }),
        storeArtifact(ports.blobStore, {
          name: 'preview.mp3',
          key: key('preview.mp3'),
          contentType: 'audio/mpeg',
          path: rendered.previewPath,
        }),
        storeArtifact(ports.blobStore, {
          name: 'report.json',
          key: key('report.json'),
          contentType: 'application/json',
          bytes: Buffer.from(toJson(report, 2)),
        }),
      ]),
    };
  });

  await publish({
    type: 'MasterRendered',
    data: create(MasterRenderedSchema, {
      context: jobEventContext(jobId, tenantId, ports.now()),
      artifacts: artifacts.stored,
      outputMeasures: levelMeasures(artifacts.output),
      renderDurationMs: Math.round(performance.now() - started),
    }),
  });
}
