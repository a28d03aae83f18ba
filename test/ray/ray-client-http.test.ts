import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RayError } from '../../lib/errors/index.js';
import { RayJobsClient, rayDashboardUrl } from '../../lib/ray/index.js';

// What the client puts on the wire, against a small HTTP server of the test's own (the cluster tests in
// ray-jobs.test.ts check the behaviour against real Ray).
let url: string;
const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => {
    body += c.toString();
  });
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
    res.setHeader('content-type', 'application/json');
    if (req.url === '/api/jobs/' && req.method === 'POST')
      res.end(JSON.stringify({ job_id: 'j1', submission_id: JSON.parse(body).submission_id }));
    else if (req.url === '/api/jobs/driver_1') {
      res.statusCode = 400;
      res.end('Traceback (most recent call last):\n  File "x"\nValueError: Job driver_1 is a driver job and cannot be stopped.\n');
    } else res.end(JSON.stringify({ version: '4', ray_version: '2.60.0', ray_commit: 'x' }));
  });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('RayJobsClient on the wire', () => {
  it('sends the auth header it is given (and RAY_JOB_HEADERS), never a browser-looking request', async () => {
    const before = process.env.RAY_JOB_HEADERS;
    process.env.RAY_JOB_HEADERS = JSON.stringify({ 'X-Lab': 'astro' });
    try {
      await new RayJobsClient({ address: url, headers: { Authorization: 'Bearer s3cret' } }).version();
    } finally {
      if (before === undefined) delete process.env.RAY_JOB_HEADERS;
      else process.env.RAY_JOB_HEADERS = before;
    }
    const h = seen.at(-1)!.headers;
    expect([h.authorization, h['x-lab']]).toEqual(['Bearer s3cret', 'astro']);
    // The dashboard refuses POSTs that look like a browser's (a Sec-Fetch header, Origin, a Mozilla user agent).
    expect(Object.keys(h).filter((k) => k.startsWith('sec-fetch') || k === 'origin' || k === 'referer')).toEqual([]);
    expect(h['user-agent']).toBe('skybook');
  });

  it('submits only the keys that are set, with a fixed raysubmit_ id', async () => {
    const job = await new RayJobsClient({ address: url }).submit({ entrypoint: 'echo hi', entrypointNumCpus: 1 });
    const body = JSON.parse(seen.at(-1)!.body);
    expect(body).toEqual({ entrypoint: 'echo hi', submission_id: job.submissionId, entrypoint_num_cpus: 1 });
    expect(job.submissionId).toMatch(/^raysubmit_[A-Za-z0-9_-]{16}$/);
  });

  it("a 4xx is a RayError with the last line of Ray's traceback, exit 2", async () => {
    const e = (await new RayJobsClient({ address: url }).status('driver_1').catch((x: unknown) => x)) as RayError;
    expect(e).toBeInstanceOf(RayError);
    expect(e.exitCode).toBe(2);
    expect(e.status).toBe(400);
    expect(e.message).toBe(
      `status: ${url}: job driver_1: Ray answered 400: ValueError: Job driver_1 is a driver job and cannot be stopped.`,
    );
  });

  it('addresses: HOST:PORT, RAY_ADDRESS, the default; ray:// refused', () => {
    expect(rayDashboardUrl('10.0.0.5:8265')).toBe('http://10.0.0.5:8265');
    expect(rayDashboardUrl(undefined, { RAY_ADDRESS: 'https://ray.lab.example/' })).toBe('https://ray.lab.example');
    expect(rayDashboardUrl(undefined, {})).toBe('http://127.0.0.1:8265');
    expect(() => rayDashboardUrl('ray://10.0.0.5:10001')).toThrow(/Ray Client address/);
  });
});
