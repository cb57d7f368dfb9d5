import { LacquerError, problemType } from '@lacquer/errors';
import { describe, expect, it } from 'vitest';
import { problemOf } from './problem-details.ts';

describe('problem details', () => {
  it('names the code in the type', () => {
    expect(problemType('IDEMPOTENCY_KEY_REUSED')).toBe('https://lacquer.dev/problems/idempotency-key-reused');
  });

  it('answers a client error with its code, status and message', () => {
    expect(problemOf(new LacquerError('JOB_NOT_FOUND', 'there is no job x'))).toEqual({
      type: 'https://lacquer.dev/problems/job-not-found',
      title: 'Not Found',
      status: 404,
      code: 'JOB_NOT_FOUND',
      detail: 'there is no job x',
    });
  });

  it('does not leak the message of a server error', () => {
    const unavailable = problemOf(
      new LacquerError('NATS_UNAVAILABLE', 'could not reach nats://10.0.0.7:4222'),
    );
    const unexpected = problemOf(new Error('ENOENT /var/secret/path'));

    expect(unavailable).toMatchObject({ status: 503, code: 'NATS_UNAVAILABLE' });
    expect(unavailable.detail).not.toContain('10.0.0.7');
    expect(unexpected).toMatchObject({ status: 500, code: 'INTERNAL_ERROR', title: 'Internal Server Error' });
    expect(unexpected.detail).not.toContain('/var/secret');
  });

  it('answers a body over the limit as 413 REQUEST_TOO_LARGE, other fastify client errors as REQUEST_INVALID', () => {
    const tooLarge = Object.assign(new Error('Request body is too large'), { statusCode: 413 });
    const unsupported = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 });

    expect(problemOf(tooLarge)).toMatchObject({ status: 413, code: 'REQUEST_TOO_LARGE' });
    expect(problemOf(unsupported)).toMatchObject({ status: 400, code: 'REQUEST_INVALID' });
  });
});
