import { RayError } from '../errors/index.js';

/** Where a local Ray head serves its dashboard and Jobs API when nothing says otherwise. */
export const DEFAULT_RAY_ADDRESS = 'http://127.0.0.1:8265';

/**
 * The Ray dashboard's base URL (Jobs API at `/api/jobs/`): `address` if given, else RAY_ADDRESS, else
 * {@link DEFAULT_RAY_ADDRESS}. `HOST:PORT` gets `http://`; a `ray://` address (the Ray Client port, 10001) is refused
 * with what to give instead, as `ray job submit` refuses it.
 *
 * @example
 * rayDashboardUrl('10.0.0.5:8265'); // 'http://10.0.0.5:8265'
 * rayDashboardUrl(undefined, { RAY_ADDRESS: 'https://ray.lab.example/' }); // 'https://ray.lab.example'
 */
export function rayDashboardUrl(address?: string, env: NodeJS.ProcessEnv = process.env): string {
  const given = (address ?? env.RAY_ADDRESS ?? DEFAULT_RAY_ADDRESS).trim();
  const from = address !== undefined ? '--address' : env.RAY_ADDRESS !== undefined ? 'RAY_ADDRESS' : 'the default';
  if (/^ray:\/\//i.test(given))
    throw new RayError(
      `${given} (from ${from}) is a Ray Client address; the Jobs API is the dashboard's, e.g. http://HOST:8265`,
      { scope: 'address' },
      2,
    );
  const url = /^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RayError(`${given} (from ${from}) is not an address (http://HOST:PORT)`, { scope: 'address' }, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new RayError(`${given} (from ${from}): the dashboard speaks http or https, not ${parsed.protocol}`, { scope: 'address' }, 2);
  return url.replace(/\/+$/, '');
}
