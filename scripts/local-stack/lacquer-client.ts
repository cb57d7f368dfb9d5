import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';

/** A job as `GET /v1/jobs/{jobId}` answers it. */
export interface JobResource {
  readonly jobId: string;
  readonly status: 'queued' | 'processing' | 'completed' | 'failed';
  readonly progress: number;
  readonly currentStep: string;
  readonly artifacts: readonly { name: string; contentType: string; sizeBytes: number }[];
  readonly metrics: {
    input: Record<string, number | null> | null;
    output: Record<string, number | null> | null;
  };
  readonly error?: { code: string; message: string };
  readonly attempts: number;
  readonly lastError: { code: string; message: string; step: string; attempt: number } | null;
  readonly retries: number;
  readonly [field: string]: unknown;
}

/** One server-sent event. */
export interface ServerSentEvent {
  readonly event: string;
  readonly data: string;
  readonly id?: string;
}

/** A small client of the REST API, as a partner would write one (fetch only). */
export function lacquerClient(baseUrl: string, apiKey: string) {
  const auth = { authorization: `Bearer ${apiKey}` };
  const json = async <T>(response: Response): Promise<T> => {
    if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
  return {
    /** POST /v1/uploads, then PUT the bytes to the signed URL; returns the upload id. */
    async upload(path: string, contentType: string): Promise<string> {
      const bytes = await readFile(path);
      const upload = await json<{ uploadId: string; uploadUrl: string; headers: Record<string, string> }>(
        await fetch(`${baseUrl}/v1/uploads`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ filename: basename(path), contentType, sizeBytes: bytes.byteLength }),
        }),
      );
      const put = await fetch(upload.uploadUrl, { method: 'PUT', headers: upload.headers, body: bytes });
      if (!put.ok) throw new Error(`upload PUT: ${put.status} ${await put.text()}`);
      return upload.uploadId;
    },
    /** POST /v1/jobs. */
    async createJob(
      body: Record<string, unknown>,
      idempotencyKey?: string,
    ): Promise<{ jobId: string; status: string }> {
      return json(
        await fetch(`${baseUrl}/v1/jobs`, {
          method: 'POST',
          headers: {
            ...auth,
            'content-type': 'application/json',
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: JSON.stringify(body),
        }),
      );
    },
    /** GET /v1/jobs/{jobId}. */
    async job(jobId: string): Promise<JobResource> {
      return json(await fetch(`${baseUrl}/v1/jobs/${jobId}`, { headers: auth }));
    },
    /** GET /v1/jobs/{jobId}/events until the stream ends (after completed or failed). */
    async events(jobId: string, signal?: AbortSignal): Promise<ServerSentEvent[]> {
      const response = await fetch(`${baseUrl}/v1/jobs/${jobId}/events`, {
        headers: { ...auth, accept: 'text/event-stream' },
        ...(signal ? { signal } : {}),
      });
      if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
      const events: ServerSentEvent[] = [];
      let buffer = '';
      for await (const chunk of response.body.pipeThrough(new TextDecoderStream())) {
        buffer += chunk;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
          }
          if (fields.has('data')) {
            const id = fields.get('id');
            events.push({
              event: fields.get('event') ?? 'message',
              data: fields.get('data') ?? '',
              ...(id ? { id } : {}),
            });
          }
          end = buffer.indexOf('\n\n');
        }
      }
      return events;
    },
    /** GET /v1/jobs/{jobId}/artifacts/{name}: checks the 302, follows it, writes the bytes to `path`. */
    async download(jobId: string, name: string, path: string): Promise<{ status: number; location: string }> {
      const redirect = await fetch(`${baseUrl}/v1/jobs/${jobId}/artifacts/${name}`, {
        headers: auth,
        redirect: 'manual',
      });
      const location = redirect.headers.get('location') ?? '';
      const file = await fetch(location);
      if (!file.ok) throw new Error(`download ${name}: ${file.status}`);
      await writeFile(path, new Uint8Array(await file.arrayBuffer()));
      return { status: redirect.status, location };
    },
  };
}

/** The client type. */
export type LacquerClient = ReturnType<typeof lacquerClient>;
