import { RayJobsClient } from '../ray/index.js';

/** The options every `skybook ray` command shares, for its --help. */
export const RAY_ADDRESS_FLAG = {
  flag: '--address URL',
  help: 'the Ray dashboard (Jobs API), e.g. http://127.0.0.1:8265 (default: RAY_ADDRESS, else http://127.0.0.1:8265); RAY_JOB_HEADERS (JSON) adds headers such as a token',
};

/** A Jobs API client for the command's `--address`. @example const ray = rayClient(args.values); */
export function rayClient(values: Record<string, string>): RayJobsClient {
  return new RayJobsClient(values.address !== undefined ? { address: values.address } : {});
}
