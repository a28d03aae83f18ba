import type { RecordBatch, Table } from 'apache-arrow';
import { FitsError } from '../errors/index.js';
import type { ReadTableOptions } from './bintable/read-table.js';
import { verifyHdu, type ChecksumVerdict } from './checksum.js';
import type { RandomGroups } from './groups/read-groups.js';
import { walkHdus, type HduInfo } from './hdu.js';
import type { FitsImage } from './image/fits-image.js';
import { readImage, type ReadImageOptions } from './image/read-image.js';
import type { ByteSource } from './source/byte-source.js';
import { openSource, type OpenSourceOptions } from './source/open-source.js';

/** An HDU by position (0 = primary) or by EXTNAME (case-insensitive; `NAME,VER` picks an EXTVER). */
export type HduRef = number | string;

/**
 * An open FITS file: its HDUs (headers read, data not), and readers that fetch only the bytes asked for. Works the same
 * over a local path, `http(s)://` (range requests), `s3://` and gzipped files.
 *
 * @example
 * const fits = await FitsFile.open('coadd-main-dark-27247.fits');
 * const fibermap = await fits.readTable('FIBERMAP', { columns: ['TARGETID', 'TARGET_RA'] });
 * const flux = await fits.readImage('B_FLUX');
 * await fits.close();
 */
export class FitsFile {
  private constructor(
    readonly source: ByteSource,
    readonly hdus: readonly HduInfo[],
  ) {}

  /** Opens a path, URL or byte source and walks its headers. */
  static async open(location: string | URL | ByteSource, options: OpenSourceOptions = {}): Promise<FitsFile> {
    const src = typeof location === 'string' || location instanceof URL ? await openSource(location, options) : location;
    try {
      return new FitsFile(src, await walkHdus(src));
    } catch (e) {
      await src.close();
      throw e;
    }
  }

  get name(): string {
    return this.source.name;
  }

  /** Finds an HDU; an unknown name is an error listing the HDUs the file has. */
  hdu(ref: HduRef): HduInfo {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const i = Number(ref);
      const h = this.hdus[i];
      if (!h) throw new FitsError(`no HDU ${i}; the file has ${this.hdus.length} (0..${this.hdus.length - 1})`, { file: this.name });
      return h;
    }
    const [name, ver] = ref.split(',');
    const want = name!.trim().toUpperCase();
    const h = this.hdus.find((x) => x.name.toUpperCase() === want && (ver === undefined || x.ver === Number(ver)));
    if (!h)
      throw new FitsError(`no HDU named '${ref}'; the file has: ${this.hdus.map((x) => x.name || `#${x.index}`).join(', ')}`, {
        file: this.name,
      });
    return h;
  }

  /** Reads a BINTABLE or ASCII TABLE HDU into Arrow. */
  async readTable(ref: HduRef, options: ReadTableOptions = {}): Promise<Table> {
    const h = this.hdu(ref);
    // The table readers (and apache-arrow with them) load on first use: `fits info`/`stats` and image reads never pay for them.
    if (h.type === 'BINTABLE' || (h.type === 'COMPRESSED_IMAGE' && options.columns))
      return (await import('./bintable/read-table.js')).readTable(this.source, h, options);
    if (h.type === 'TABLE') return (await import('./ascii/read-ascii-table.js')).readAsciiTable(this.source, h, options);
    throw new FitsError(`is a ${h.type} HDU, not a table`, { file: this.name, hdu: h.index });
  }

  /** Streams a BINTABLE in record batches (bounded memory). */
  readBatches(ref: HduRef, options: ReadTableOptions & { batchRows?: number } = {}): AsyncGenerator<RecordBatch> {
    const h = this.hdu(ref);
    if (h.type !== 'BINTABLE')
      throw new FitsError(`is a ${h.type} HDU; batches are read from BINTABLE HDUs`, { file: this.name, hdu: h.index });
    const src = this.source;
    return (async function* () {
      yield* (await import('./bintable/read-table.js')).readBatches(src, h, options);
    })();
  }

  /** Reads an IMAGE HDU, or decompresses a tile-compressed one. */
  async readImage(ref: HduRef, options: ReadImageOptions = {}): Promise<FitsImage> {
    const h = this.hdu(ref);
    if (h.type === 'IMAGE') return readImage(this.source, h, options);
    if (h.type === 'COMPRESSED_IMAGE') {
      if (options.rows)
        throw new FitsError('row ranges are not supported on tile-compressed images yet; read the whole image', {
          file: this.name,
          hdu: h.index,
        });
      const { readCompressedImage } = await import('./compressed/index.js');
      return readCompressedImage(this.source, h, options.blankToNaN === undefined ? {} : { blankToNaN: options.blankToNaN });
    }
    throw new FitsError(`is a ${h.type} HDU, not an image`, { file: this.name, hdu: h.index });
  }

  /** Reads a random-groups primary HDU. */
  async readGroups(ref: HduRef = 0): Promise<RandomGroups> {
    const h = this.hdu(ref);
    if (h.type !== 'RANDOM_GROUPS') throw new FitsError(`is a ${h.type} HDU, not random groups`, { file: this.name, hdu: h.index });
    return (await import('./groups/read-groups.js')).readGroups(this.source, h);
  }

  /** CHECKSUM/DATASUM verdicts of one HDU. */
  verify(ref: HduRef): Promise<ChecksumVerdict> {
    return verifyHdu(this.source, this.hdu(ref));
  }

  close(): Promise<void> {
    return this.source.close();
  }
}

/**
 * Opens a FITS file (path, URL, `s3://`, gzipped or not).
 *
 * @example
 * const fits = await openFits('https://data.desi.lbl.gov/public/dr1/...');
 */
export function openFits(location: string | URL | ByteSource, options: OpenSourceOptions = {}): Promise<FitsFile> {
  return FitsFile.open(location, options);
}
