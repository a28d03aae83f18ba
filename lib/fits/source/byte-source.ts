/**
 * Random access to the bytes of one FITS file, wherever it lives. Everything in `lib/fits` reads through this,
 * so a remote file is fetched by byte range and a 2 GB local file is never loaded whole.
 *
 * @example
 * const src = await openSource('https://host/coadd.fits');
 * const first = await src.read(0, 2880);
 */
export interface ByteSource {
  /** What to call this source in messages: a path or URL. */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /**
   * `length` bytes starting at `offset`. Returns fewer bytes only at the end of the source.
   * The returned array may be a view into a shared buffer: copy it before keeping it across reads.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Sources already on this machine (a local file, bytes in memory) may also copy bytes synchronously into a buffer the
   * caller owns and reuses: `target.length` bytes from `offset`, fewer only at the end; returns how many. Sequential scans
   * use it to read in cache-sized pieces without a promise and a fresh buffer per piece (see `readRange`).
   */
  readIntoSync?(offset: number, target: Uint8Array): number;
  /**
   * Local files with the memory-map addon built may also copy a few fields out of many fixed-size rows without reading
   * the rest of each row: `rows` rows of `rowBytes` bytes from `offset`, and of each row the fields
   * `fields` = [offset in row, width, ...], side by side into `target` as packed rows. Returns the rows copied whole,
   * fewer only when the file ends (or shrank) before them. Reading one 8-byte column of a 259-byte row this way touches
   * a quarter of the memory traffic of reading whole rows.
   */
  gatherRowsSync?(offset: number, rowBytes: number, rows: number, fields: Int32Array, target: Uint8Array): number;
  /** Releases file handles or connections; further reads fail. */
  close(): Promise<void>;
}
