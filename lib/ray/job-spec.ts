import { z } from 'zod';

/**
 * A job as skybook describes it, for the Jobs API, a KubeRay RayJob or a batch Job alike: the entrypoint (a shell
 * command line), an optional fixed submission id (what makes a retried submit safe), the runtime environment (a local
 * working_dir to package, or a URI Ray already has; environment variables; pip requirements), string metadata, and the
 * entrypoint's resources (the driver runs on the head unless these say otherwise).
 *
 * @example
 * const spec: RayJobSpec = RAY_JOB_SPEC.parse({ entrypoint: 'python fanout.py', runtimeEnv: { workingDir: 'jobs/' }, entrypointNumCpus: 1 });
 */
export const RAY_JOB_SPEC = z
  .object({
    entrypoint: z.string().min(1, 'entrypoint is empty'),
    submissionId: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,128}$/, 'submission id: 1-128 letters, digits, _ . -')
      .optional(),
    runtimeEnv: z
      .object({
        workingDir: z.string().min(1).optional(),
        excludes: z.array(z.string()).optional(),
        envVars: z.record(z.string(), z.string()).optional(),
        pip: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    entrypointNumCpus: z.number().nonnegative().optional(),
    entrypointNumGpus: z.number().nonnegative().optional(),
    /** Bytes. */
    entrypointMemory: z.number().int().nonnegative().optional(),
    entrypointResources: z.record(z.string(), z.number().nonnegative()).optional(),
  })
  .strict();

/** A validated job description ({@link RAY_JOB_SPEC}). @example const s: RayJobSpec = { entrypoint: 'echo hi' }; */
export type RayJobSpec = z.infer<typeof RAY_JOB_SPEC>;

/** A job's state; the last three are terminal. @example const s: RayJobStatus = 'RUNNING'; */
export type RayJobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

/** Whether a job in this state will not change again. @example isTerminal('STOPPED'); // true */
export function isTerminal(status: RayJobStatus): boolean {
  return status === 'STOPPED' || status === 'SUCCEEDED' || status === 'FAILED';
}

/**
 * A job as the Jobs API reports it (GET /api/jobs/{id}): SUBMISSION jobs have a submission_id, DRIVER jobs (a script
 * that called ray.init) only a job_id. Times are Unix milliseconds.
 *
 * @example
 * const d: RayJobDetails = await client.status('raysubmit_abc'); d.status; // 'SUCCEEDED'
 */
export interface RayJobDetails {
  type: 'SUBMISSION' | 'DRIVER';
  job_id: string | null;
  submission_id: string | null;
  status: RayJobStatus;
  entrypoint: string;
  message: string | null;
  error_type: string | null;
  start_time: number | null;
  end_time: number | null;
  metadata: Record<string, string> | null;
  runtime_env: Record<string, unknown> | null;
  driver_exit_code: number | null;
  driver_node_id: string | null;
}
