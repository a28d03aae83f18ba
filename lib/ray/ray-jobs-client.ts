import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { DEFAULT_RETRY, isTransientNetworkError, type RetryPolicy, TRANSIENT_HTTP_STATUS, withRetry } from '../core/index.js';
import { RayError } from '../errors/index.js';
import { RAY_JOB_SPEC, type RayJobDetails, type RayJobSpec, type RayJobStatus, isTerminal } from './job-spec.js';
import { rayDashboardUrl } from './ray-address.js';
import { type RayHttpReply, rayHttp } from './ray-http.js';
import { packageWorkingDir, type WorkingDirPackage } from './working-dir-package.js';

/**
 * Options of {@link RayJobsClient}: the dashboard address (else RAY_ADDRESS, else http://127.0.0.1:8265), extra headers
 * on every request (an auth token; else RAY_JOB_HEADERS, a JSON object, as Ray's CLI reads it), the retry policy for
 * 5xx answers and reset connections, and a per-request timeout.
 *
 * @example
 * new RayJobsClient({ address: 'http://10.0.0.5:8265', headers: { Authorization: `Bearer ${token}` } });
 */
export interface RayJobsClientOptions {
  address?: string;
  headers?: Record<string, string>;
  retry?: RetryPolicy;
  timeoutMs?: number;
}

/** What {@link RayJobsClient.submit} returns: the ids, and the working_dir package when one was made. @example const { submissionId } = await client.submit(spec); */
export interface SubmittedJob {
  submissionId: string;
  jobId: string | null;
  /** True when an earlier attempt of this same submit had already created the job (a retry after a lost answer). */
  alreadySubmitted: boolean;
  package: (WorkingDirPackage & { uploaded: boolean }) | undefined;
}

/** Options of {@link RayJobsClient.wait}. @example await client.wait(id, { timeoutMs: 600_000, onStatus: (d) => console.log(d.status) }); */
export interface WaitOptions {
  timeoutMs?: number;
  onStatus?: (details: RayJobDetails) => void;
  signal?: AbortSignal;
}

// How much of Ray's error line a RayError keeps.
const ERROR_TEXT = 2000;

/**
 * A client of Ray's Jobs REST API on the dashboard (default port 8265): version, working_dir upload (GET then PUT
 * /api/packages/gcs/NAME.zip, content-addressed as Ray names it), submit, status, wait, logs (whole, or tailed over the
 * websocket), stop, delete, list. Every request is retried on 5xx answers and reset or refused connections (a
 * cluster still starting), but a submit is never made twice: it carries a fixed submission id, and before each retry
 * the client asks whether that job exists, taking an existing one as its own earlier success (Ray answers a duplicate
 * id with a 500, and its own SDK does not retry). Errors are RayErrors with Ray's own message, the address and the job.
 *
 * @example
 * const ray = new RayJobsClient({ address: 'http://127.0.0.1:8265' });
 * const { submissionId } = await ray.submit({ entrypoint: 'python train.py', runtimeEnv: { workingDir: 'jobs/vae' } });
 * const done = await ray.wait(submissionId); // SUCCEEDED, FAILED or STOPPED
 */
export class RayJobsClient {
  readonly address: string;
  readonly #headers: Record<string, string>;
  readonly #retry: RetryPolicy;
  readonly #timeoutMs: number;

  constructor(options: RayJobsClientOptions = {}) {
    this.address = rayDashboardUrl(options.address);
    this.#headers = { ...envHeaders(), ...(options.headers ?? {}) };
    this.#retry = options.retry ?? DEFAULT_RETRY;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** The dashboard's versions: `{ version, ray_version, ray_commit, session_name }`. @example (await ray.version()).ray_version; // '2.60.0' */
  async version(): Promise<{ version: string; ray_version: string; ray_commit: string; session_name?: string }> {
    return this.#json('GET', '/api/version', { scope: 'version' });
  }

  /**
   * Makes sure Ray holds `pkg`: GET /api/packages/gcs/NAME.zip (200: it does, and the GET pins it for 600 s), PUT the
   * zip when it answers 404. `uploaded` says whether bytes went up.
   *
   * @example
   * const { uploaded } = await ray.uploadPackage(await packageWorkingDir('jobs'));
   */
  async uploadPackage(pkg: WorkingDirPackage): Promise<{ uploaded: boolean }> {
    const path = `/api/packages/gcs/${pkg.name}.zip`;
    const where = { scope: 'uploadPackage', file: this.address };
    const head = await this.#request('GET', path, where);
    if (head.status === 200) return { uploaded: false };
    if (head.status !== 404) throw this.#errorOf(head.status, head.text, where);
    const put = await this.#request('PUT', path, where, pkg.zip);
    if (put.status === 413)
      throw new RayError(`the dashboard refused ${pkg.name}.zip (${pkg.zip.length} bytes): too large`, where, 2, { status: 413 });
    if (!put.ok) throw this.#errorOf(put.status, put.text, where);
    return { uploaded: true };
  }

  /**
   * Submits a job (see {@link RAY_JOB_SPEC}): a local working_dir is packaged and uploaded first (only if Ray lacks
   * it), a missing submission id is made here (`raysubmit_` + 16 characters, as Ray makes them) so that retries are
   * safe. Only the keys that are set are sent.
   *
   * @example
   * const job = await ray.submit({ entrypoint: 'python -c "print(1)"', submissionId: 'hello-1' });
   */
  async submit(spec: RayJobSpec): Promise<SubmittedJob> {
    const valid = RAY_JOB_SPEC.parse(spec);
    const submissionId = valid.submissionId ?? `raysubmit_${randomBytes(12).toString('base64url').slice(0, 16)}`;
    let pkg: SubmittedJob['package'];
    const runtimeEnv: Record<string, unknown> = {};
    const env = valid.runtimeEnv;
    if (env?.workingDir !== undefined) {
      if (/^[a-z0-9]+:\/\//i.test(env.workingDir)) runtimeEnv.working_dir = env.workingDir;
      else {
        const made = await packageWorkingDir(env.workingDir, { ...(env.excludes ? { excludes: env.excludes } : {}) });
        pkg = { ...made, ...(await this.uploadPackage(made)) };
        runtimeEnv.working_dir = made.uri;
      }
    }
    if (env?.envVars) runtimeEnv.env_vars = env.envVars;
    if (env?.pip) runtimeEnv.pip = env.pip;
    const body: Record<string, unknown> = { entrypoint: valid.entrypoint, submission_id: submissionId };
    if (Object.keys(runtimeEnv).length) body.runtime_env = runtimeEnv;
    if (valid.metadata) body.metadata = valid.metadata;
    if (valid.entrypointNumCpus !== undefined) body.entrypoint_num_cpus = valid.entrypointNumCpus;
    if (valid.entrypointNumGpus !== undefined) body.entrypoint_num_gpus = valid.entrypointNumGpus;
    if (valid.entrypointMemory !== undefined) body.entrypoint_memory = valid.entrypointMemory;
    if (valid.entrypointResources) body.entrypoint_resources = valid.entrypointResources;

    const where = { scope: 'submit', file: this.address, job: submissionId };
    let alreadySubmitted = false;
    const answer = await withRetry(
      this.#retry,
      async (attempt) => {
        // Before a retry: did the lost attempt create the job after all? Then that was our success.
        if (attempt > 0) {
          const existing = await this.#request('GET', `/api/jobs/${encodeURIComponent(submissionId)}`, where, undefined, false);
          if (existing.status === 200) {
            alreadySubmitted = true;
            const d = JSON.parse(existing.text) as RayJobDetails;
            return { status: 200, json: { job_id: d.job_id, submission_id: submissionId } };
          }
        }
        const r = await this.#request('POST', '/api/jobs/', where, JSON.stringify(body), false);
        const text = r.text;
        if (r.status === 500 && /different submission_id|already exists/i.test(text)) {
          alreadySubmitted = true;
          return { status: 200, json: { job_id: null, submission_id: submissionId } };
        }
        return { status: r.status, text, json: r.ok ? JSON.parse(text) : undefined };
      },
      { again: (a) => TRANSIENT_HTTP_STATUS.has(a.status), transient: transientError, fail: (e) => this.#unreachable(e, where) },
    );
    if (answer.status !== 200) throw this.#errorOf(answer.status, 'text' in answer ? (answer.text ?? '') : '', where);
    const j = answer.json as { job_id: string | null; submission_id: string };
    return { submissionId: j.submission_id ?? submissionId, jobId: j.job_id ?? null, alreadySubmitted, package: pkg };
  }

  /** A job's details; an unknown id is a RayError (exit 2). @example (await ray.status('raysubmit_x')).status */
  async status(id: string): Promise<RayJobDetails> {
    return this.#json('GET', `/api/jobs/${encodeURIComponent(id)}`, { scope: 'status', job: id });
  }

  /**
   * Polls a job until it is STOPPED, SUCCEEDED or FAILED (every 0.25 s at first, backing off to 2 s), calling
   * `onStatus` on each change; past `timeoutMs` a RayError. Returns the final details.
   *
   * @example
   * const d = await ray.wait(id, { onStatus: (s) => console.log(s.status) }); if (d.status === 'FAILED') console.error(d.message);
   */
  async wait(id: string, options: WaitOptions = {}): Promise<RayJobDetails> {
    const t0 = performance.now();
    let delay = 250;
    let last: RayJobStatus | undefined;
    for (;;) {
      options.signal?.throwIfAborted();
      const d = await this.status(id);
      if (d.status !== last) {
        last = d.status;
        options.onStatus?.(d);
      }
      if (isTerminal(d.status)) return d;
      if (options.timeoutMs !== undefined && performance.now() - t0 > options.timeoutMs)
        throw new RayError(`still ${d.status} after ${(options.timeoutMs / 1000).toFixed(0)} s`, {
          scope: 'wait',
          file: this.address,
          job: id,
        });
      await sleep(delay, undefined, options.signal ? { signal: options.signal } : undefined);
      delay = Math.min(2000, delay * 1.5);
    }
  }

  /** The job's whole log so far. @example process.stdout.write(await ray.logs(id)); */
  async logs(id: string): Promise<string> {
    return (await this.#json<{ logs: string }>('GET', `/api/jobs/${encodeURIComponent(id)}/logs`, { scope: 'logs', job: id })).logs;
  }

  /**
   * The job's log as it is written, chunk by chunk (the dashboard's websocket sends up to 10 lines a frame), until
   * the job ends and the dashboard closes the socket. A socket that drops before the job has ended is a RayError
   * ("lost the dashboard"), never a silent end (ray#57002).
   *
   * @example
   * for await (const chunk of ray.tailLogs(id)) process.stdout.write(chunk);
   */
  async *tailLogs(id: string): AsyncGenerator<string> {
    const where = { scope: 'tailLogs', file: this.address, job: id };
    await this.status(id); // an unknown job fails here with Ray's 404, not as a closed socket
    const url = `${this.address.replace(/^http/, 'ws')}/api/jobs/${encodeURIComponent(id)}/logs/tail`;
    // No permessage-deflate: with it negotiated, the dashboard's aiohttp frames never reach ws's 'message' (seen with
    // Ray 2.60: an open socket, no frames, a clean close at the job's end).
    const ws = new WebSocket(url, { headers: this.#headers, perMessageDeflate: false });
    const queue: string[] = [];
    let done = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    ws.on('message', (data) => {
      queue.push(data.toString());
      notify();
    });
    ws.on('error', (e) => {
      failure ??= e;
      notify();
    });
    ws.on('close', () => {
      done = true;
      notify();
    });
    try {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (done || failure) break;
        await new Promise<void>((r) => {
          wake = r;
        });
      }
      while (queue.length) yield queue.shift()!;
      // The dashboard closes the socket when the job ends; a close or error before that means it went away.
      let ended = false;
      try {
        ended = isTerminal((await this.status(id)).status);
      } catch (e) {
        throw new RayError(`lost the dashboard while tailing the log: ${(e as Error).message}`, where, 1, { cause: e });
      }
      if (!ended)
        throw new RayError(`the log stream closed before the job ended${failure ? ` (${failure.message})` : ''}`, where, 1, {
          cause: failure,
        });
    } finally {
      ws.removeAllListeners();
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) ws.terminate();
    }
  }

  /** Asks Ray to stop a job (SIGTERM, then SIGKILL after 3 s); false when it had already ended. @example await ray.stop(id); */
  async stop(id: string): Promise<boolean> {
    return (await this.#json<{ stopped: boolean }>('POST', `/api/jobs/${encodeURIComponent(id)}/stop`, { scope: 'stop', job: id })).stopped;
  }

  /** Deletes a job's record and logs; only a job in a terminal state (else Ray's refusal as a RayError). @example await ray.delete(id); */
  async delete(id: string): Promise<boolean> {
    return (await this.#json<{ deleted: boolean }>('DELETE', `/api/jobs/${encodeURIComponent(id)}`, { scope: 'delete', job: id })).deleted;
  }

  /** Every job the cluster knows, submissions and drivers. @example (await ray.list()).filter((j) => j.status === 'RUNNING') */
  async list(): Promise<RayJobDetails[]> {
    return this.#json('GET', '/api/jobs/', { scope: 'list' });
  }

  async #json<T>(method: string, path: string, where: { scope: string; job?: string }, body?: string): Promise<T> {
    const loc = { ...where, file: this.address };
    const r = await this.#request(method, path, loc, body);
    const text = r.text;
    if (!r.ok) throw this.#errorOf(r.status, text, loc);
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new RayError(`${method} ${path}: not JSON: ${text.slice(0, 200)}`, loc, 1, { status: r.status });
    }
  }

  /** One request, retried on transient failures unless `retry` is false (submit retries itself). */
  async #request(
    method: string,
    path: string,
    where: { scope: string; file?: string; job?: string },
    body?: string | Buffer,
    retry = true,
  ): Promise<RayHttpReply> {
    const loc = { ...where, file: this.address };
    const once = () =>
      rayHttp(method, this.address + path, { headers: this.#headers, timeoutMs: this.#timeoutMs, ...(body !== undefined ? { body } : {}) });
    if (!retry) return once();
    return withRetry(this.#retry, once, {
      again: (r) => TRANSIENT_HTTP_STATUS.has(r.status),
      transient: transientError,
      fail: (e) => this.#unreachable(e, loc),
    });
  }

  #unreachable(e: unknown, where: { scope: string; file?: string; job?: string }): unknown {
    if (e instanceof RayError) return e;
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = (e as { code?: string }).code ?? cause?.code ?? cause?.message ?? (e as Error).message;
    return new RayError(
      `cannot reach the Ray dashboard (${why}); is the cluster up? (ray start --head, or --address / RAY_ADDRESS)`,
      { ...where, file: this.address },
      1,
      {
        cause: e,
      },
    );
  }

  #errorOf(status: number, text: string, where: { scope: string; file?: string; job?: string }): RayError {
    const loc = { ...where, file: this.address };
    const message = rayMessage(text);
    if (status === 404) return new RayError(`no such job or package (404)${message ? `: ${message}` : ''}`, loc, 2, { status });
    return new RayError(`Ray answered ${status}${message ? `: ${message}` : ''}`, loc, status < 500 ? 2 : 1, { status });
  }
}

/** Ray's answer text without its traceback: the last line that says something, cut to a readable length. */
function rayMessage(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const last = lines.at(-1) ?? '';
  return last.length > ERROR_TEXT ? `${last.slice(0, ERROR_TEXT)}...` : last;
}

/** A connection that failed for now, or was refused (a dashboard still starting, or restarting). */
function transientError(e: unknown): boolean {
  return isTransientNetworkError(e) || (e as { code?: string } | null)?.code === 'ECONNREFUSED';
}

function envHeaders(): Record<string, string> {
  const raw = process.env.RAY_JOB_HEADERS;
  if (!raw) return {};
  try {
    const h = JSON.parse(raw) as unknown;
    if (h && typeof h === 'object' && !Array.isArray(h)) return Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
  } catch {
    // fall through
  }
  throw new RayError('RAY_JOB_HEADERS must be a JSON object of header names to values', { scope: 'headers' }, 2);
}
