import { readFile } from 'node:fs/promises';
import { createServiceRegistry, startTracing, type Tracing } from '@lacquer/runtime';
import { fixturePath } from '@lacquer/testing';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lacquerClient } from '../../scripts/local-stack/lacquer-client.ts';
import { type InProcessPlatform, startInProcessPlatform } from '../support/in-process-platform.ts';
import { documentedMetrics, exposedMetrics, queriedMetrics } from '../support/metric-catalogue.ts';

const SERVICES = ['gateway', 'analyzer', 'decision', 'mastering'] as const;

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let platform: InProcessPlatform;

beforeAll(async () => {
  tracing = startTracing('lacquer-test', { spanProcessors: [new SimpleSpanProcessor(exporter)] });
  platform = await startInProcessPlatform();
});
afterAll(async () => {
  await platform?.close();
  await tracing?.shutdown();
  trace.disable();
  context.disable();
  propagation.disable();
});

/** The span named `name` among `spans`; fails the test when there is not exactly one. */
function only(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const named = spans.filter((span) => span.name === name);
  expect(
    named.map((span) => span.name),
    `spans named "${name}"`,
  ).toEqual([name]);
  return named[0]!;
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('one trace per job, from the REST call to MasterRendered', () => {
  it('carries the gateway request trace through every worker span, over NATS headers', async () => {
    const client = lacquerClient(platform.gatewayUrl, platform.apiKey);
    const uploadId = await client.upload(fixturePath('audio/metal-madness-mix-15s.flac'), 'audio/flac');
    exporter.reset();
    const { jobId } = await client.createJob({ input: { uploadId } });
    const events = await client.events(jobId);
    expect(JSON.parse(events.at(-1)?.data ?? '{}').status).toBe('completed');

    const request = only(exporter.getFinishedSpans(), 'POST /v1/jobs');
    expect(request.kind).toBe(SpanKind.SERVER);
    const { traceId } = request.spanContext();
    const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === traceId);

    // gateway: request → publish JobRequested; each worker: consumer span → its publishes.
    const requested = only(spans, 'publish JobRequested');
    const analyze = only(spans, 'analyze JobRequested');
    const analyzed = only(spans, 'publish TrackAnalyzed');
    const decide = only(spans, 'decide TrackAnalyzed');
    const decided = only(spans, 'publish MasteringDecided');
    const master = only(spans, 'master MasteringDecided');
    const rendered = only(spans, 'publish MasterRendered');
    only(spans, 'publish JobCompleted');

    for (const consumer of [analyze, decide, master]) {
      expect(consumer.kind).toBe(SpanKind.CONSUMER);
      expect(consumer.attributes).toMatchObject({ 'lacquer.job.id': jobId, 'lacquer.outcome': 'succeeded' });
    }
    expect(rendered.kind).toBe(SpanKind.PRODUCER);
    // Each consumer span hangs under the producer span of the event it consumed: the context
    // crossed nats-server in the `traceparent` header, not through this process's memory.
    expect(parentOf(analyze)).toBe(requested.spanContext().spanId);
    expect(parentOf(decide)).toBe(analyzed.spanContext().spanId);
    expect(parentOf(master)).toBe(decided.spanContext().spanId);
    expect(parentOf(rendered)).toBe(master.spanContext().spanId);
    // The request span is the root; every span of the job is in this one trace.
    expect(request.parentSpanContext).toBeUndefined();
    const jobSpans = exporter
      .getFinishedSpans()
      .filter((span) => span.attributes['lacquer.job.id'] === jobId);
    expect(new Set(jobSpans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));
  });

  it("continues the caller's trace when the request carries a traceparent", async () => {
    const callerTraceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await fetch(`${platform.gatewayUrl}/v1/jobs`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${platform.apiKey}`,
        'content-type': 'application/json',
        traceparent: `00-${callerTraceId}-00f067aa0ba902b7-01`,
      },
      body: JSON.stringify({ input: { uploadId: '00000000-0000-4000-8000-000000000000' } }),
    });
    // Refused (no such completed upload): the request's span is made all the same.
    expect(response.status).toBe(409);

    const request = exporter
      .getFinishedSpans()
      .find((span) => span.name === 'POST /v1/jobs' && span.spanContext().traceId === callerTraceId);
    expect(request?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});

describe('metrics', () => {
  /** Each service's `/metrics` page, by service. */
  const metricsPages = async () => {
    const addresses = { gateway: platform.gatewayUrl, ...platform.workerAddresses };
    const pages = await Promise.all(
      SERVICES.map(async (service) => {
        const response = await fetch(`${addresses[service]}/metrics`);
        expect(response.status).toBe(200);
        return [service, await response.text()] as const;
      }),
    );
    return new Map(pages);
  };

  /** Each service's `/metrics`, as metric families by name. */
  const scrape = async () =>
    new Map([...(await metricsPages())].map(([service, page]) => [service, exposedMetrics(page)] as const));

  it('every service serves the metrics the README documents for it, and documents what it serves', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [service, exposed] of await scrape()) {
      const documented = documentedMetrics(readme, service, SERVICES);
      expect(documented.size, `documented metrics of ${service}`).toBeGreaterThan(3);
      for (const [name, type] of documented) expect(exposed.get(name), `${service}: ${name}`).toBe(type);
      // prom-client's default process and Node.js metrics are documented as one group.
      const defaults = exposedMetrics(await createServiceRegistry(service).metrics());
      const undocumented = [...exposed.keys()].filter((name) => !documented.has(name) && !defaults.has(name));
      expect(undocumented, `served by ${service} but not in the README`).toEqual([]);
    }
  });

  it("the dashboard's queries use only metrics the services serve", async () => {
    const dashboard = JSON.parse(
      await readFile(
        new URL('../../charts/lacquer/dashboards/lacquer-overview.json', import.meta.url),
        'utf8',
      ),
    ) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const served = new Set([...(await scrape()).values()].flatMap((exposed) => [...exposed.keys()]));
    const queried = dashboard.panels.flatMap((panel) =>
      (panel.targets ?? []).flatMap((target) =>
        queriedMetrics(target.expr).map((name) => `${panel.title}: ${name}`),
      ),
    );
    expect(queried.length).toBeGreaterThan(20);
    const missing = queried.filter((entry) => !served.has(entry.slice(entry.lastIndexOf(' ') + 1)));
    expect(missing).toEqual([]);
  });

  it('reports the queue lag of every consumer, as JetStream counts it', async () => {
    const lag = [...(await metricsPages()).values()].map((page) =>
      [...page.matchAll(/^lacquer_\w+_consumer_pending_messages\{consumer="(\w+)"\} (\d+)$/gm)].map(
        ([, consumer, pending]) => [consumer, Number(pending)],
      ),
    );
    expect(Object.fromEntries(lag.flat())).toEqual({
      projector: 0,
      reaper: 0,
      analyzer: 0,
      decision: 0,
      mastering: 0,
    });
  });
});
