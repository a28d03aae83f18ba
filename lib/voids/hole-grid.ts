import { VoidsError } from '../errors/index.js';

/**
 * VoidFinder's search grid: cubic cells of `edge` Mpc/h from `origin`; a hole is grown from the centre of every cell
 * no wall galaxy falls in. Plain typed arrays, so worker threads can share them.
 */
export interface HoleGrid {
  /** The grid's corner: the minimum x, y, z over all galaxies, wall and field (VAST's grid_origin). */
  readonly origin: Float64Array;
  /** Cell edge, Mpc/h. */
  readonly edge: number;
  /** Cells along x, y, z. */
  readonly shape: Int32Array;
  /** 1 where a wall galaxy falls in the cell; index (i * shape[1] + j) * shape[2] + k. */
  readonly occupied: Uint8Array;
  /** How many cells are occupied. */
  readonly occupiedCount: number;
}

/** The largest grid we allocate a cell map for (a byte per cell). */
const MAX_CELLS = 2 ** 31 - 1;

/**
 * The search grid over the wall galaxies, as VAST's _hole_finder sets it up: shape = ceil((max wall coordinate - origin)
 * / edge) per axis (in float32 arithmetic when the coordinates are float32, as numpy does for VAST's float32
 * positions), and a galaxy's cell int((x - origin) / edge), moved into the last cell when it lies on the far edge.
 *
 * @example
 * const grid = buildHoleGrid(wall, origin, 5, { float32: true });
 */
export function buildHoleGrid(
  wall: Float64Array,
  origin: Float64Array,
  edge: number,
  options: { float32?: boolean; shared?: boolean } = {},
): HoleGrid {
  const n = wall.length / 3;
  if (n === 0) throw new VoidsError('no wall galaxies to grow holes between', { scope: 'findVoids' });
  const max = [-Infinity, -Infinity, -Infinity];
  for (let g = 0; g < n; g++) for (let a = 0; a < 3; a++) if (wall[3 * g + a]! > max[a]!) max[a] = wall[3 * g + a]!;
  const f = options.float32 ? Math.fround : (v: number) => v;
  const shape = new Int32Array(alloc(options.shared, 12));
  for (let a = 0; a < 3; a++) shape[a] = Math.max(1, Math.ceil(f(f(max[a]! - origin[a]!) / f(edge))));
  const total = shape[0]! * shape[1]! * shape[2]!;
  if (total > MAX_CELLS)
    throw new VoidsError(`a grid of ${shape.join(' x ')} cells is too large (cell ${edge} Mpc/h): use a larger cell`, {
      scope: 'findVoids',
    });
  const occupied = new Uint8Array(alloc(options.shared, total));
  let occupiedCount = 0;
  for (let g = 0; g < n; g++) {
    let c = 0;
    for (let a = 0; a < 3; a++) {
      let i = Math.trunc((wall[3 * g + a]! - origin[a]!) / edge);
      if (i >= shape[a]!) i = shape[a]! - 1;
      c = c * shape[a]! + i;
    }
    if (occupied[c] === 0) {
      occupied[c] = 1;
      occupiedCount++;
    }
  }
  const o = new Float64Array(alloc(options.shared, 24));
  o.set(origin.subarray(0, 3));
  return { origin: o, edge, shape, occupied, occupiedCount };
}

function alloc(shared: boolean | undefined, bytes: number): ArrayBuffer | SharedArrayBuffer {
  return shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * The cell at position `seq` of VAST's snake walk over the grid (fill_ijk_zig_zag): i runs up; j runs up for even i
 * and down for odd i; k runs up when j (as walked) is even for even i or odd for odd i, down otherwise, so each cell
 * neighbours the one before. Writes (i, j, k) to out.
 *
 * @example
 * const ijk = new Int32Array(3); zigZagCell(5, grid.shape, ijk);
 */
export function zigZagCell(seq: number, shape: Int32Array, out: Int32Array): void {
  const nj = shape[1]!,
    nk = shape[2]!;
  const plane = nj * nk;
  const i = Math.floor(seq / plane);
  const rem = seq - i * plane;
  const row = Math.floor(rem / nk);
  const col = rem - row * nk;
  let j: number, k: number;
  if (i % 2 === 0) {
    j = row;
    k = j % 2 === 0 ? col : nk - 1 - col;
  } else {
    j = nj - 1 - row;
    k = j % 2 === 0 ? nk - 1 - col : col;
  }
  out[0] = i;
  out[1] = j;
  out[2] = k;
}
