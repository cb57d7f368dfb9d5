/** What the gateway's `/metrics` says of `GET /v1/jobs/{id}` and of its event loop. */
export interface GatewayMetrics {
  /** Answered `GET /v1/jobs/:jobId` (200) at or under each bucket bound (seconds), cumulative. */
  readonly getJobBuckets: ReadonlyMap<string, number>;
  /** Event-loop delay since the previous scrape (prom-client resets it on each), ms. */
  readonly eventLoopLagP99Ms: number;
  readonly eventLoopLagMaxMs: number;
}

/** Server-side time of the GETs between two scrapes, and the event loop over the second. */
export interface GatewaySideFigures {
  /** GETs the gateway answered between the scrapes. */
  readonly requests: number;
  /** Share of them whose handling (onRequest to onResponse) took over 25 ms / 50 ms, %. */
  readonly over25MsPercent: number;
  readonly over50MsPercent: number;
  readonly eventLoopLagP99Ms: number;
  readonly eventLoopLagMaxMs: number;
}

const BUCKET = /^lacquer_gateway_http_request_duration_seconds_bucket\{(.*)\} (\S+)$/;

/** Scrapes the gateway's Prometheus metrics. */
export async function readGatewayMetrics(gatewayUrl: string): Promise<GatewayMetrics> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const getJobBuckets = new Map<string, number>();
  let eventLoopLagP99Ms = Number.NaN;
  let eventLoopLagMaxMs = Number.NaN;
  for (const line of text.split('\n')) {
    const bucket = BUCKET.exec(line);
    if (
      bucket?.[1]?.includes('route="/v1/jobs/:jobId"') &&
      bucket[1].includes('method="GET"') &&
      bucket[1].includes('status_code="200"')
    ) {
      const le = /le="([^"]+)"/.exec(bucket[1])?.[1] ?? '';
      getJobBuckets.set(le, Number(bucket[2]));
    }
    if (line.startsWith('lacquer_gateway_nodejs_eventloop_lag_p99_seconds ')) {
      eventLoopLagP99Ms = 1000 * Number(line.split(' ')[1]);
    }
    if (line.startsWith('lacquer_gateway_nodejs_eventloop_lag_max_seconds ')) {
      eventLoopLagMaxMs = 1000 * Number(line.split(' ')[1]);
    }
  }
  return { getJobBuckets, eventLoopLagP99Ms, eventLoopLagMaxMs };
}

/** The figures of the GETs answered between `before` and `after`. */
export function gatewaySideFigures(before: GatewayMetrics, after: GatewayMetrics): GatewaySideFigures {
  const count = (le: string): number =>
    (after.getJobBuckets.get(le) ?? 0) - (before.getJobBuckets.get(le) ?? 0);
  const requests = count('+Inf');
  const share = (le: string): number => (requests > 0 ? (100 * (requests - count(le))) / requests : 0);
  return {
    requests,
    over25MsPercent: share('0.025'),
    over50MsPercent: share('0.05'),
    eventLoopLagP99Ms: after.eventLoopLagP99Ms,
    eventLoopLagMaxMs: after.eventLoopLagMaxMs,
  };
}
