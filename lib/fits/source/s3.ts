import { SourceError } from '../../errors/index.js';
import { HttpSource, type HttpSourceOptions } from './http-source.js';

/**
 * Where an `s3://` URL is fetched from. Anonymous access only: public buckets such as DESI's `desidata`.
 *
 * @example
 * s3ToHttps('s3://desidata/dr1/x.fits', { region: 'us-west-2' });
 */
export interface S3Options {
  /** AWS region: `https://BUCKET.s3.REGION.amazonaws.com/KEY` instead of the global `https://BUCKET.s3.amazonaws.com/KEY`. */
  region?: string;
  /**
   * A mirror or test server, path-style: `ENDPOINT/BUCKET/KEY`. Defaults to the environment variable `SKYBOOK_S3_ENDPOINT`;
   * this option wins over it.
   */
  endpoint?: string;
}

/** The environment variable that points every `s3://` URL at another endpoint (a mirror, MinIO, a local test server). */
export const S3_ENDPOINT_ENV = 'SKYBOOK_S3_ENDPOINT';

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * Splits `s3://bucket/key` into bucket and key. A string's key is taken as written (as the AWS CLI does: `%20` is three
 * characters); a `URL` object's path is percent-decoded first, since `URL` encoded it.
 *
 * @example
 * parseS3Url('s3://desidata/dr1/spectro/redux/iron/zcatalog/zall-pix-iron.fits'); // { bucket: 'desidata', key: 'dr1/...' }
 */
export function parseS3Url(location: string | URL): { bucket: string; key: string } {
  const text = String(location);
  let bucket: string;
  let key: string;
  if (location instanceof URL) {
    bucket = location.hostname;
    key = decodeURIComponent(location.pathname.replace(/^\//, ''));
  } else {
    const m = /^s3:\/\/([^/]*)\/?(.*)$/is.exec(text);
    if (!m) throw new SourceError(text, 'not an s3:// URL');
    bucket = m[1]!;
    key = m[2]!;
  }
  if (!BUCKET.test(bucket)) throw new SourceError(text, `invalid S3 bucket name '${bucket}'`);
  if (key === '') throw new SourceError(text, 'no object key after the bucket');
  return { bucket, key };
}

/**
 * The HTTPS URL of an `s3://` object: virtual-hosted (`https://bucket.s3.amazonaws.com/key`), each key segment URL-encoded.
 * Buckets with dots use path style (`https://s3.amazonaws.com/bucket/key`) since their names break the TLS wildcard certificate.
 *
 * @example
 * s3ToHttps('s3://desidata/dr1/a b.fits'); // 'https://desidata.s3.amazonaws.com/dr1/a%20b.fits'
 * s3ToHttps('s3://desidata/x.fits', { region: 'us-west-2' }); // 'https://desidata.s3.us-west-2.amazonaws.com/x.fits'
 */
export function s3ToHttps(location: string | URL, options: S3Options = {}, env: NodeJS.ProcessEnv = process.env): string {
  const { bucket, key } = parseS3Url(location);
  const path = key.split('/').map(encodeURIComponent).join('/');
  const endpoint = options.endpoint ?? env[S3_ENDPOINT_ENV];
  if (endpoint) return `${endpoint.replace(/\/+$/, '')}/${bucket}/${path}`;
  if (options.region !== undefined && !/^[a-z0-9-]+$/.test(options.region)) {
    throw new SourceError(String(location), `invalid region '${options.region}'`);
  }
  const host = options.region ? `s3.${options.region}.amazonaws.com` : 's3.amazonaws.com';
  return bucket.includes('.') ? `https://${host}/${bucket}/${path}` : `https://${bucket}.${host}/${path}`;
}

/**
 * Opens a public S3 object as an {@link HttpSource} named by its `s3://` URL.
 *
 * @example
 * const src = await openS3('s3://desidata/dr1/spectro/redux/iron/healpix/main/dark/272/27247/coadd-main-dark-27247.fits');
 */
export async function openS3(location: string | URL, options: S3Options & HttpSourceOptions = {}): Promise<HttpSource> {
  const { region, endpoint, ...http } = options;
  return HttpSource.open(s3ToHttps(location, { region, endpoint }), { name: String(location), ...http });
}
