import { timestampDate } from '@bufbuild/protobuf/wkt';
import {
  decodeJobEvent,
  EVENT_HEADERS,
  JOBS_STREAM_NAME,
  type JobEventType,
  JobStep,
  jobEventFilter,
  jobHistoryFilter,
} from '@lacquer/contracts';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';

/**
 * How many events of `type` each job has in the JOBS stream, by job id (the stream's
 * per-subject counts for `lacquer.job.<event>.*`; jobs with none are absent).
 */
export async function countJobEvents(
  jsm: JetStreamManager,
  type: JobEventType,
): Promise<ReadonlyMap<string, number>> {
  const info = await jsm.streams.info(JOBS_STREAM_NAME, { subjects_filter: jobEventFilter(type) });
  const counts = new Map<string, number>();
  for (const [subject, count] of Object.entries(info.state.subjects ?? {})) {
    counts.set(subject.split('.').at(-1) ?? '', count);
  }
  return counts;
}

/**
 * One job's events in the JOBS stream, one line each (`#seq time type field=value …`), read
 * with an ordered consumer on `lacquer.job.*.<jobId>`. For diagnosis: a failing fault test
 * prints the history of each job it complains about.
 */
export async function jobHistory(js: JetStreamClient, jobId: string): Promise<string[]> {
  const consumer = await js.consumers.get(JOBS_STREAM_NAME, { filter_subjects: jobHistoryFilter(jobId) });
  const lines: string[] = [];
  for (;;) {
    const message = await consumer.next({ expires: 1000 });
    if (!message) break;
    const type = message.headers?.get(EVENT_HEADERS.eventType) ?? '';
    let line = `#${message.seq} ${type}`;
    try {
      const event = decodeJobEvent(type, message.data);
      const context = event.data.context;
      const at = context?.occurredAt ? timestampDate(context.occurredAt).toISOString() : '?';
      const fields = Object.entries(event.data)
        .filter(([name, value]) => name !== '$typeName' && name !== 'context' && typeof value !== 'object')
        .map(([name, value]) => `${name}=${name === 'step' ? JobStep[value as number] : String(value)}`);
      line = `#${message.seq} ${at} ${type} ${fields.join(' ')}`.trimEnd();
    } catch {
      line += ' (does not decode)';
    }
    lines.push(line);
    if (message.info.pending === 0) break;
  }
  return lines;
}
