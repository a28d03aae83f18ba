import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * The sha256 (hex) of a local file, streamed in 4 MiB reads so a multi-GB catalogue is never held whole. One helper for
 * every layer that fingerprints files: the store's load ledger, the dataset manifest and run provenance.
 *
 * @example
 * await sha256File('zall-pix-iron.fits') // '3f5a...' (64 hex digits)
 */
export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 22 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
