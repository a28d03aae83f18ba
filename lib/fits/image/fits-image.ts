/** Typed arrays an image can come back as, by physical dtype. */
export type ImageArray =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** The physical element type of an image after BSCALE/BZERO (names as numpy's, without byte order). */
export type ImageDtype = 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/**
 * A decoded image: values in native byte order, physical units (BSCALE/BZERO applied, as astropy does), flattened in
 * FITS storage order (NAXIS1 varies fastest). `naxis` is in FITS order: `[NAXIS1, NAXIS2, ...]`.
 * Integer images keep BLANK pixels as stored (astropy does the same); `blank` says which value marks them.
 * Scaled images turn BLANK pixels into NaN.
 *
 * @example
 * const img = await fits.readImage(0);
 * const [nx, ny] = img.naxis; const v = img.data[y * nx + x];
 */
export interface FitsImage {
  naxis: number[];
  dtype: ImageDtype;
  data: ImageArray;
  /** The BLANK value of an unscaled integer image, if the header declares one. */
  blank?: number | bigint;
}
