import { DesiError } from '../../errors/index.js';

/**
 * One named bit of a DESI bitmask.
 *
 * @example
 * const b: BitDef = { name: 'SKY', bit: 0, description: 'sky fibre' };
 */
export interface BitDef {
  name: string;
  bit: number;
  description: string;
}

/**
 * A named bitmask (ZWARN, DESI_TARGET, COADD_FIBERSTATUS, ...): decodes a value to the names of its set bits and
 * encodes names back. Values are bigint so 64-bit masks (DESI_TARGET bit 62) stay exact; numbers are accepted for
 * 32-bit columns. Negative int64/int32 values (the sign bit set) are read as their unsigned bit pattern.
 *
 * @example
 * ZWARN.decode(4n);                    // ['SMALL_DELTA_CHI2']
 * ZWARN.encode(['SKY', 'NODATA']);     // 513n
 * DESI_TARGET.has(4n, 'QSO');          // true
 */
export class Bitmask {
  private readonly byName = new Map<string, BitDef>();
  private readonly byBit = new Map<number, BitDef>();

  constructor(
    readonly name: string,
    readonly bits: readonly BitDef[],
    /** Width of the column the mask lives in (32 for int32 / uint32 columns, 64 for int64). */
    readonly width: 32 | 64,
  ) {
    for (const b of bits) {
      this.byName.set(b.name, b);
      this.byBit.set(b.bit, b);
    }
  }

  /** The bit value of one name as a bigint. @example DESI_TARGET.mask('BGS_ANY'); // 1n << 60n */
  mask(name: string): bigint {
    return 1n << BigInt(this.def(name).bit);
  }

  /** The definition of one bit by name. @example ZWARN.def('NODATA').bit; // 9 */
  def(name: string): BitDef {
    const d = this.byName.get(name);
    if (!d) {
      throw new DesiError(`unknown bit name '${name}'; known: ${[...this.byName.keys()].join(', ')}`, { scope: this.name });
    }
    return d;
  }

  /**
   * Names of the set bits, lowest bit first. A set bit without a name is reported as `BIT<n>` so nothing is hidden.
   * @example FIBERSTATUS.decode(2 ** 9 + 2); // ['STUCKPOSITIONER', 'BADPOSITION']
   */
  decode(value: bigint | number): string[] {
    let v = BigInt.asUintN(this.width, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
    const names: string[] = [];
    for (let bit = 0; v !== 0n; bit++, v >>= 1n) {
      if (v & 1n) names.push(this.byBit.get(bit)?.name ?? `BIT${bit}`);
    }
    return names;
  }

  /** The value with exactly these bits set. @example ZWARN.encode(['SKY']); // 1n */
  encode(names: Iterable<string>): bigint {
    let v = 0n;
    for (const n of names) v |= this.mask(n);
    return v;
  }

  /** Whether `value` has the named bit set. @example ZWARN.has(0n, 'SKY'); // false */
  has(value: bigint | number, name: string): boolean {
    const v = BigInt.asUintN(this.width, typeof value === 'bigint' ? value : BigInt(Math.trunc(value)));
    return (v & this.mask(name)) !== 0n;
  }
}

/** Builds BitDefs from compact `[name, bit, description]` rows. @example defs([['SKY', 0, 'sky fibre']]) */
export function defs(rows: ReadonlyArray<readonly [string, number, string]>): BitDef[] {
  return rows.map(([name, bit, description]) => ({ name, bit, description }));
}
