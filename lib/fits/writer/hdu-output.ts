import type { FileHandle } from 'node:fs/promises';
import { FitsError } from '../../errors/index.js';
import { addSums, checksum32, encodeChecksum, FitsChecksum } from '../checksum.js';
import { formatHeader, type CardInput } from '../header/format.js';

const BLOCK = 2880;
const ZEROS = new Uint8Array(BLOCK);
const PLACEHOLDER = '0000000000000000';

/**
 * Writes HDUs one after another into an open file: a header with placeholder values, the data streamed through a
 * running DATASUM, zero padding, then the header again (same size, final values and CHECKSUM) by a positional write.
 * Data writes are positional and may overlap: `data()` returns when the bytes are handed to the OS and its
 * promise must settle before the caller reuses the buffer.
 *
 * @example
 * await out.begin(cards);
 * await out.data(bytes);
 * await out.end(finalCards);
 */
export class HduOutput {
  private headerAt = 0;
  private headerLength = 0;
  private sum = new FitsChecksum();
  private dataBytes = 0;
  private inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly file: FileHandle,
    /** Where the next HDU starts. */
    public position: number,
    private readonly where: { file: string; hdu: number },
    private readonly checksums: boolean,
  ) {}

  /** Writes the header of a new HDU with placeholder CHECKSUM/DATASUM (when checksums are on). */
  async begin(cards: readonly CardInput[]): Promise<void> {
    this.sum = new FitsChecksum();
    this.dataBytes = 0;
    this.headerAt = this.position;
    const text = this.render(cards, '0');
    this.headerLength = text.length;
    await this.writeAt(Buffer.from(text, 'latin1'), this.headerAt);
    this.position = this.headerAt + text.length;
  }

  /** Appends data bytes (summed now, written in the background); await before reusing `bytes`. */
  data(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return Promise.resolve();
    this.sum.update(bytes);
    const at = this.position;
    this.position += bytes.length;
    this.dataBytes += bytes.length;
    const p = this.writeAt(bytes, at);
    this.inFlight.add(p);
    return p.finally(() => this.inFlight.delete(p));
  }

  /** Bytes of data written so far in this HDU. */
  get dataSize(): number {
    return this.dataBytes;
  }

  /** Pads the data to 2880 bytes, rewrites the header with its final cards and CHECKSUM/DATASUM. */
  async end(cards: readonly CardInput[]): Promise<void> {
    await Promise.all(this.inFlight);
    const pad = (BLOCK - (this.dataBytes % BLOCK)) % BLOCK;
    if (pad) await this.writeAt(ZEROS.subarray(0, pad), this.position);
    this.position += pad;
    const datasum = this.sum.value;
    let text = this.render(cards, String(datasum));
    if (text.length !== this.headerLength) {
      throw new FitsError(
        `internal: the final header (${text.length} bytes) differs in size from the one written first (${this.headerLength})`,
        this.where,
      );
    }
    if (this.checksums) {
      const hduSum = addSums(checksum32(Buffer.from(text, 'latin1')), datasum);
      text = text.replace(`CHECKSUM= '${PLACEHOLDER}'`, `CHECKSUM= '${encodeChecksum(hduSum)}'`);
    }
    await this.writeAt(Buffer.from(text, 'latin1'), this.headerAt);
  }

  private render(cards: readonly CardInput[], datasum: string): string {
    if (!this.checksums) return formatHeader(cards);
    return formatHeader([
      ...cards,
      { keyword: 'CHECKSUM', value: PLACEHOLDER, comment: 'HDU checksum' },
      { keyword: 'DATASUM', value: datasum, comment: 'data unit checksum' },
    ]);
  }

  private async writeAt(bytes: Uint8Array, at: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) {
      const { bytesWritten } = await this.file.write(bytes, done, bytes.length - done, at + done);
      done += bytesWritten;
    }
  }
}
