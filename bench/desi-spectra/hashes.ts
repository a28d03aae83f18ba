import { createHash } from 'node:crypto';
import { DataType, type Table } from 'apache-arrow';
import type { Spectra } from '../../lib/desi/index.js';

/** sha256 (hex) of named arrays, e.g. `B_FLUX`, `FIBERMAP.TARGET_RA`. */
export type Hashes = Record<string, string>;

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Hashes every array a spectra read returns, in the byte order astropy_read.py hashes them: numbers as little-endian
 * values of their type (Node runs on little-endian machines), strings as UTF-8 joined by NUL, logicals as one byte
 * 0/1. Keys: `TARGETID`, `X_WAVELENGTH/FLUX/IVAR/MASK/RESOLUTION` per arm, `FIBERMAP.<column>` per column.
 *
 * @example
 * const h = spectraHashes(await readSpectra(file, { targetids })); h.B_FLUX; // 'e3b0c4...'
 */
export function spectraHashes(s: Spectra): Hashes {
  const out: Hashes = { TARGETID: sha(bytesOf(s.targetids)) };
  for (const b of s.bands) {
    const a = s.arms[b]!;
    out[`${b}_WAVELENGTH`] = sha(bytesOf(a.wavelength));
    out[`${b}_FLUX`] = sha(bytesOf(a.flux));
    out[`${b}_IVAR`] = sha(bytesOf(a.ivar));
    out[`${b}_MASK`] = sha(bytesOf(a.mask));
    if (a.resolution) out[`${b}_RESOLUTION`] = sha(bytesOf(a.resolution));
  }
  Object.assign(out, tableHashes(s.fibermap, 'FIBERMAP'));
  return out;
}

function tableHashes(t: Table, prefix: string): Hashes {
  const out: Hashes = {};
  for (const field of t.schema.fields) {
    const col = t.getChild(field.name)!;
    const key = `${prefix}.${field.name}`;
    if (DataType.isUtf8(field.type)) {
      out[key] = sha(Buffer.from((col.toArray() as (string | null)[]).map((v) => v ?? '').join('\0'), 'utf8'));
    } else if (DataType.isBool(field.type)) {
      out[key] = sha(Uint8Array.from([...col] as (boolean | null)[], (v) => (v ? 1 : 0)));
    } else if (DataType.isInt(field.type) || DataType.isFloat(field.type)) {
      out[key] = sha(bytesOf(col.toArray() as ArrayBufferView));
    } else {
      throw new Error(`${key}: no hash rule for Arrow type ${String(field.type)}`);
    }
  }
  return out;
}
