import { waitFor } from '@lacquer/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type GatewayHarness, startGatewayHarness } from '../test-support/gateway-harness.ts';
import { publishAll, workerEvents } from '../test-support/worker-events.ts';

let gateway: GatewayHarness;
const HEARTBEAT_INTERVAL_MS = 100;

beforeAll(async () => {
  gateway = await startGatewayHarness({ heartbeatIntervalMs: HEARTBEAT_INTERVAL_MS });
});

afterAll(async () => {
  await gateway?.close();
});

/** One server-sent event, or a comment (`event: 'comment'`). */
interface ReceivedEvent {
  readonly id?: string;
  readonly event: string;
  readonly data: string;
}

/** Reads a `text/event-stream` body event by event. */
async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ReceivedEvent> {
  const decoder = new TextDecoder();
  let buffered = '';
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true });
    let end = buffered.indexOf('\n\n');
    while (end >= 0) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      end = buffered.indexOf('\n\n');
      const fields = block.split('\n').map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, '')] as const;
      });
      if (fields.every(([name]) => name === '')) {
        yield { event: 'comment', data: fields.map(([, value]) => value).join('\n') };
        continue;
      }
      const id = fields.find(([name]) => name === 'id')?.[1];
      yield {
        ...(id === undefined ? {} : { id }),
        event: fields.find(([name]) => name === 'event')?.[1] ?? 'message',
        data: fields
          .filter(([name]) => name === 'data')
          .map(([, value]) => value)
          .join('\n'),
      };
    }
  }
}

async function newJob(): Promise<string> {
  const declared = await gateway.app.inject({
    method: 'POST',
    url: '/v1/uploads',
    headers: bearer('local'),
    payload: { filename: 'mix.wav', contentType: 'audio/wav', sizeBytes: 4 },
  });
  const { uploadUrl, headers } = declared.json();
  await fetch(uploadUrl, { method: 'PUT', headers, body: new Uint8Array([1, 2, 3, 4]) });
  const created = await gateway.app.inject({
    method: 'POST',
    url: '/v1/jobs',
    headers: bearer('local'),
    payload: { input: { uploadId: declared.json().uploadId } },
  });
  expect(created.statusCode).toBe(202);
  return created.json().jobId;
}

const openStream = (jobId: string, signal?: AbortSignal) =>
  fetch(`${gateway.baseUrl}/v1/jobs/${jobId}/events`, {
    headers: bearer('local'),
    ...(signal ? { signal } : {}),
  });

const summary = (event: ReceivedEvent) => {
  const job = JSON.parse(event.data);
  return {
    status: job.status,
    progress: job.progress,
    currentStep: job.currentStep,
    artifacts: job.artifacts.length,
  };
};

describe('GET /v1/jobs/{jobId}/events', () => {
  it('sends the job now, then each change as the workers report, and ends when it completes', async () => {
    const jobId = await newJob();
    const response = await openStream(jobId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const events = readEvents(response.body!);

    const first = (await events.next()).value as ReceivedEvent;
    expect(first.event).toBe('status');
    expect(JSON.parse(first.data)).toEqual({
      jobId,
      status: 'queued',
      progress: 0,
      currentStep: 'queued',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      target: { preset: 'spotify', integratedLufs: -14, truePeakDbtp: -1 },
      artifacts: [],
      metrics: { input: null, output: null },
      attempts: 0,
      lastError: null,
      retries: 0,
    });
    await publishAll(gateway.publisher, await workerEvents(gateway.blobStore, { jobId, tenantId: 'local' }));
    const rest: ReceivedEvent[] = [];
    for await (const event of events) if (event.event !== 'comment') rest.push(event);

    expect(rest.map((event) => event.event)).toEqual(Array(7).fill('status'));
    expect(rest.map(summary)).toEqual([
      { status: 'processing', progress: 5, currentStep: 'analyze', artifacts: 0 },
      { status: 'processing', progress: 30, currentStep: 'analyze', artifacts: 0 },
      { status: 'processing', progress: 35, currentStep: 'decide', artifacts: 0 },
      { status: 'processing', progress: 40, currentStep: 'decide', artifacts: 0 },
      { status: 'processing', progress: 45, currentStep: 'master', artifacts: 0 },
      { status: 'processing', progress: 95, currentStep: 'master', artifacts: 2 },
      { status: 'completed', progress: 100, currentStep: 'done', artifacts: 2 },
    ]);
    const ids = [first, ...rest].map((event) => Number(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('a finished job gets its final status and the stream ends', async () => {
    const jobId = await newJob();
    await publishAll(gateway.publisher, await workerEvents(gateway.blobStore, { jobId, tenantId: 'local' }));
    await waitFor(async () =>
      (await gateway.readModel.get('local', jobId))?.status === 'completed' ? true : undefined,
    );

    const response = await openStream(jobId);
    const received: ReceivedEvent[] = [];
    for await (const event of readEvents(response.body!)) received.push(event);

    expect(received.map(summary)).toEqual([
      { status: 'completed', progress: 100, currentStep: 'done', artifacts: 2 },
    ]);
  });

  it('keeps an idle stream open with heartbeats, and stops following when the client goes away', async () => {
    const jobId = await newJob();
    const client = new AbortController();
    const response = await openStream(jobId, client.signal);
    const events = readEvents(response.body!);
    expect((await events.next()).value?.event).toBe('status');
    expect((await events.next()).value).toEqual({ event: 'comment', data: 'heartbeat' });
    expect(gateway.followers()).toBe(1);

    client.abort();

    await waitFor(() => (gateway.followers() === 0 ? true : undefined), {
      what: 'the gateway to stop following',
    });
  });

  it("is 404 JOB_NOT_FOUND for another tenant's job, before any stream starts", async () => {
    const jobId = await newJob();

    const response = await fetch(`${gateway.baseUrl}/v1/jobs/${jobId}/events`, { headers: bearer('acme') });

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(await response.json()).toEqual({
      type: 'https://lacquer.dev/problems/job-not-found',
      title: 'Not Found',
      status: 404,
      code: 'JOB_NOT_FOUND',
      detail: expect.any(String),
    });
  });
});
