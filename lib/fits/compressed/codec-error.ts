/**
 * A malformed compressed tile, raised by the codecs, which know nothing of files or rows; the tile reader
 * wraps it into a FitsError naming the file, HDU, column and row.
 *
 * @example
 * throw new CodecError('RICE_1: compressed data end before all pixels were decoded');
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
}
