import { create } from '@bufbuild/protobuf';
import { jobEventContext, MasteringDecidedSchema } from '@lacquer/contracts';
import { type Analysis, decide, toJson } from '@lacquer/engine';
import {
  artifactObjectKey,
  type JobEventHandler,
  readJobRequest,
  readJsonDocument,
  storeArtifact,
  type WorkerPorts,
} from '@lacquer/runtime';
import { decideOptionsOf } from '../decide-options-of.ts';
import { deliveryTargetOf } from '../delivery-target-of.ts';

/**
 * TrackAnalyzed → read the job's request (target, style, amounts) from the event log and
 * analysis.json from the blob store → decide the plan → store decision.json → publish
 * MasteringDecided with the plan's notes. Pure rules: no worker thread needed.
 */
export function onTrackAnalyzed(ports: WorkerPorts): JobEventHandler {
  return async ({ event, jobId, tenantId, log, publish }) => {
    if (event.type !== 'TrackAnalyzed') return;
    const request = await readJobRequest(ports.jsm, jobId);
    const analysisKey =
      event.data.analysis?.objectKey ?? artifactObjectKey({ tenantId, jobId, artifact: 'analysis.json' });
    const document = await readJsonDocument<{ input: Analysis; reference: Analysis | null }>(
      ports.blobStore,
      analysisKey,
    );
    const plan = decide(
      document.input,
      deliveryTargetOf(request),
      decideOptionsOf(request, document.reference),
    );
    const decision = await storeArtifact(ports.blobStore, {
      name: 'decision.json',
      key: artifactObjectKey({ tenantId, jobId, artifact: 'decision.json' }),
      contentType: 'application/json',
      bytes: Buffer.from(toJson(plan, 2)),
    });
    log.info({ mode: plan.mode, notes: plan.notes.length, eqMoves: plan.eq.length }, 'decided');
    await publish({
      type: 'MasteringDecided',
      data: create(MasteringDecidedSchema, {
        context: jobEventContext(jobId, tenantId, ports.now()),
        decision,
        notes: [...plan.notes],
      }),
    });
  };
}
