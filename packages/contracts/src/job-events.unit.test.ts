import { create } from '@bufbuild/protobuf';
import { isLacquerError } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { JobRequestedSchema } from './gen/lacquer/job/v1/events_pb.ts';
import { DeliveryTargetSchema } from './gen/lacquer/job/v1/measures_pb.ts';
import { decodeJobEvent, encodeJobEvent, type JobEvent, jobEventContext } from './job-events.ts';
import { jobEventFilter, jobEventMessageId, jobEventSubject, jobHistoryFilter } from './subjects.ts';

const requested = (jobId: string, tenantId: string): JobEvent => ({
  type: 'JobRequested',
  data: create(JobRequestedSchema, {
    context: jobEventContext(jobId, tenantId, new Date('2026-11-21T12:00:00Z')),
    inputObjectKey: `tenants/${tenantId}/uploads/u1`,
    target: create(DeliveryTargetSchema, {
      preset: 'spotify',
      integratedLoudnessLufs: -14,
      truePeakCeilingDbtp: -1,
    }),
    intensityPercent: 50,
  }),
});

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return isLacquerError(error) ? error.code : 'not a LacquerError';
  }
  return undefined;
};

describe('job event codec', () => {
  it('decodes what it encodes, typed by the event name', () => {
    const event = requested('job-1', 'tenant-a');
    const decoded = decodeJobEvent('JobRequested', encodeJobEvent(event));
    expect(decoded).toEqual(event);
  });

  it.each([
    ['an unknown type', 'JobExploded', encodeJobEvent(requested('job-1', 'tenant-a'))],
    ['a body that is not protobuf', 'JobRequested', new Uint8Array([0xff, 0xff, 0xff, 0xff])],
    ['an empty context', 'JobRequested', new Uint8Array()],
    [
      'a tenant id that is not a subject token',
      'JobRequested',
      encodeJobEvent(requested('job-1', 'acme.eu')),
    ],
    ['a job id with a wildcard', 'JobRequested', encodeJobEvent(requested('job-*', 'tenant-a'))],
  ])('refuses %s with EVENT_INVALID', (_what, type, body) => {
    expect(codeOf(() => decodeJobEvent(type, body))).toBe('EVENT_INVALID');
  });
});

describe('subjects', () => {
  it('names one event of one job, every job of one event, and one job’s history', () => {
    expect([
      jobEventSubject('TrackAnalyzed', 'job-1'),
      jobEventFilter('TrackAnalyzed'),
      jobHistoryFilter('job-1'),
      jobEventMessageId('JobStepStarted', 'job-1', 'analyze:2'),
    ]).toEqual([
      'lacquer.job.analyzed.job-1',
      'lacquer.job.analyzed.*',
      'lacquer.job.*.job-1',
      'job-1:step-started:analyze:2',
    ]);
  });

  it('refuses a job id that would change the subject', () => {
    expect(() => jobEventSubject('JobRequested', 'a.b')).toThrow(TypeError);
    expect(() => jobHistoryFilter('>')).toThrow(TypeError);
  });
});
