import { constants as bufferConstants } from 'node:buffer';
import { totalmem } from 'node:os';
import { ArgumentError, type SkybookError } from '../errors/index.js';

/**
 * The environment variable that sets the memory budget: a size such as `2G`, `512M` or a number of bytes.
 *
 * @example
 * process.env[MEMORY_BUDGET_ENV] = '2G';
 */
export const MEMORY_BUDGET_ENV = 'SKYBOOK_MAX_MEMORY';

/**
 * The most bytes one Buffer can hold on this Node (4 GiB on Node 20): a read into one buffer cannot be larger.
 *
 * @example
 * if (bytes > MAX_BUFFER_BYTES) readInPieces();
 */
export const MAX_BUFFER_BYTES: number = bufferConstants.MAX_LENGTH;

const UNIT: Record<string, number> = { '': 1, b: 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };
const DEFAULT_CAP = 4 * 2 ** 30;

/**
 * A size in bytes from text: a number with an optional unit K, M, G or T (powers of 1024, as Docker and the JVM read
 * them; `KB`, `KiB`, `k` and `kib` all mean 1024), fractions allowed (`1.5G`), any case and spacing. Anything else is
 * an ArgumentError naming `what` (the option or variable it came from).
 *
 * @example
 * parseByteSize('512M'); // 536870912
 * parseByteSize('2 GiB'); // 2147483648
 * parseByteSize('4096'); // 4096
 */
export function parseByteSize(text: string, what = 'size'): number {
  const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*(?:([kmgt])(?:i?b)?|(b))?\s*$/i.exec(text);
  const bytes = m ? Math.floor(Number(m[1]) * UNIT[(m[2] ?? m[3] ?? '').toLowerCase()]!) : NaN;
  if (!Number.isSafeInteger(bytes))
    throw new ArgumentError(`invalid ${what}: '${text}' (a number of bytes with an optional unit K, M, G or T: 512M, 2G, 4GiB)`);
  return bytes;
}

/**
 * A byte count for messages, in the largest binary unit that keeps it at 1 or more: `377 KiB`, `4.7 GiB`, `16 GiB`.
 *
 * @example
 * formatByteSize(5e9); // '4.7 GiB'
 * formatByteSize(4 * 2 ** 30); // '4 GiB'
 */
export function formatByteSize(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${bytes} bytes`;
  return `${Number.isInteger(v) ? v : v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/**
 * The memory budget in force and where it comes from.
 *
 * @example
 * const { bytes, source } = memoryBudget(); // 4294967296, 'the default: half the memory, at most 4 GiB'
 */
export interface MemoryBudget {
  bytes: number;
  /** `SKYBOOK_MAX_MEMORY=2G` as set, or the default rule in words: for messages. */
  source: string;
}

/**
 * The default budget: half of this machine's memory (or of the container's limit, where Node sees one), at most 4 GiB.
 *
 * @example
 * defaultMemoryBudget(); // 4294967296 on a 24 GiB machine, 1073741824 on a 2 GiB one
 */
export function defaultMemoryBudget(): number {
  const constrained = process.constrainedMemory?.() ?? 0;
  const memory = constrained > 0 && constrained < totalmem() ? constrained : totalmem();
  return Math.min(DEFAULT_CAP, Math.floor(memory / 2));
}

/**
 * The most memory one operation may allocate at once: `SKYBOOK_MAX_MEMORY` (`2G`, `512M`, bytes) when set, else
 * {@link defaultMemoryBudget}. Readers check what a file declares against it before allocating (an image, a table,
 * a tile, an inflated `.gz`), so a small hostile file is refused with a message instead of taking the machine's memory.
 * An unreadable or zero value is an ArgumentError.
 *
 * @example
 * memoryBudget({ SKYBOOK_MAX_MEMORY: '512M' }); // { bytes: 536870912, source: 'SKYBOOK_MAX_MEMORY=512M' }
 */
export function memoryBudget(env: NodeJS.ProcessEnv = process.env): MemoryBudget {
  const text = env[MEMORY_BUDGET_ENV];
  if (text === undefined || text.trim() === '')
    return { bytes: defaultMemoryBudget(), source: 'the default: half the memory, at most 4 GiB' };
  const bytes = parseByteSize(text, MEMORY_BUDGET_ENV);
  if (bytes < 1) throw new ArgumentError(`invalid ${MEMORY_BUDGET_ENV}: '${text}' (a budget must be at least 1 byte)`);
  return { bytes, source: `${MEMORY_BUDGET_ENV}=${text.trim()}` };
}

/**
 * Checks an allocation before it is made: `bytes` in all for `what` (the words a message starts with: "the image
 * (46340 x 46340 float64)"), of which `largest` in one buffer. Over the budget, or a buffer larger than Node can hold,
 * it throws the error `fail` makes from the problem in words, so each layer raises its own class with its location.
 *
 * @example
 * checkMemory(npix * 8, `the image (${naxis.join(' x ')} float64)`, (p) => new FitsError(p, { file, hdu }));
 * // "x.fits: HDU 1: the image (46340 x 46340 float64) needs 16 GiB, more than the memory budget of 4 GiB (...)"
 */
export function checkMemory(
  bytes: number,
  what: string,
  fail: (problem: string) => SkybookError,
  largest = bytes,
  env: NodeJS.ProcessEnv = process.env,
): void {
  const budget = memoryBudget(env);
  if (!(bytes <= budget.bytes))
    throw fail(`${what} needs ${formatByteSize(bytes)}, more than the memory budget of ${formatByteSize(budget.bytes)} (${budget.source})`);
  if (!(largest <= MAX_BUFFER_BYTES))
    throw fail(
      `${what} needs ${formatByteSize(largest)} in one buffer, more than Node can hold in one (${formatByteSize(MAX_BUFFER_BYTES)})`,
    );
}
