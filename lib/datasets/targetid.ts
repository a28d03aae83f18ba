/** The Legacy Surveys release our mock targets claim (DR9 south) and DESI's MOCK bit (58) that marks them as mocks. */
const RELEASE = 9010n;
const MOCK = 1n << 58n;

/**
 * Object ids of quasars start here, so they never collide with galaxies of the same pixel.
 *
 * @example
 * mockTargetId(27247, QUASAR_OBJID0 + 3); // the fourth quasar of pixel 27247
 */
export const QUASAR_OBJID0 = 1 << 21;

/**
 * A TARGETID in DESI's bit layout (OBJID bits 0-21, BRICKID 22-41, RELEASE 42-57, MOCK 58), using the healpix pixel as
 * the brick. Values exceed 2^53, so they stay bigint everywhere.
 *
 * @example
 * mockTargetId(27247, 5); // 334702...n
 */
export function mockTargetId(pix: number, objid: number): bigint {
  return MOCK | (RELEASE << 42n) | (BigInt(pix) << 22n) | BigInt(objid);
}
