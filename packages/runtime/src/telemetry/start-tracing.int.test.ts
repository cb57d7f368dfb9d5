import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTracing } from './start-tracing.ts';
import { lacquerTracer } from './tracer.ts';

afterEach(() => {
  vi.unstubAllEnvs();
  trace.disable();
  context.disable();
  propagation.disable();
});

/** A stand-in OTLP/HTTP collector on loopback: records each request's path and body. */
async function startCollector() {
  const received: { path: string; body: string }[] = [];
  const read = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };
  const server = createServer(async (request, response) => {
    received.push({ path: request.url ?? '', body: await read(request) });
    response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => server.close() };
}

describe('startTracing', () => {
  it('exports spans over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT, named after the service', async () => {
    const collector = await startCollector();
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', collector.url);
    vi.stubEnv('OTEL_SERVICE_NAME', '');
    try {
      const tracing = startTracing('analyzer');
      lacquerTracer().startSpan('analyze JobRequested').end();
      await tracing.shutdown();

      expect(tracing.exporting).toBe(true);
      expect(collector.received.map((request) => request.path)).toEqual(['/v1/traces']);
      const body = collector.received[0]?.body ?? '';
      expect(body).toContain('analyze JobRequested');
      expect(body).toContain('"stringValue":"analyzer"');
    } finally {
      collector.close();
    }
  });

  it('makes spans with valid ids but exports nothing when no endpoint is set', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', '');
    vi.stubEnv('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', '');
    const tracing = startTracing('decision');
    const span = lacquerTracer().startSpan('decide TrackAnalyzed');

    expect(tracing.exporting).toBe(false);
    expect(span.spanContext().traceId).toMatch(/^(?!0+$)[0-9a-f]{32}$/);
    span.end();
    await tracing.shutdown();
  });

  it('exports nothing with OTEL_TRACES_EXPORTER=none, even with an endpoint', async () => {
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', 'http://127.0.0.1:9');
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
    const tracing = startTracing('mastering');

    expect(tracing.exporting).toBe(false);
    await tracing.shutdown();
  });
});
