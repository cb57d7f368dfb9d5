import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { BlobStore, JobEventFeed, JobEventPublisher, JobReadModel, JobRetry } from '@lacquer/runtime';
import type { FastifyBaseLogger, FastifyInstance, RawServerDefault } from 'fastify';
import type { ApiConfig } from './config.ts';

/** The fastify instance the routes are registered on (TypeBox types the requests). */
export type ApiInstance = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** The ports the routes work through (adapters are chosen in main.ts, or by a test). */
export interface GatewayPorts {
  readonly blobStore: BlobStore;
  readonly readModel: JobReadModel;
  readonly publisher: JobEventPublisher;
  readonly feed: JobEventFeed;
  /** Runs a failed job again from its failed step (`retryFailedJob` of @lacquer/runtime). */
  readonly retryFailedJob: (jobId: string) => Promise<JobRetry>;
}

/** What every route handler is given. */
export interface RouteContext {
  readonly ports: GatewayPorts;
  readonly config: ApiConfig;
  readonly now: () => Date;
  readonly newJobId: () => string;
  readonly newUploadId: () => string;
  /** Interval of the comment lines that keep an idle event stream open, ms. */
  readonly heartbeatIntervalMs: number;
  /** Aborts when the server closes: long-lived answers (event streams) end then. */
  readonly closing: AbortSignal;
}
