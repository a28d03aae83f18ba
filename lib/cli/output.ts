const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An int64 as a JSON value in data rows (NDJSON): a number when a double holds it exactly (|v| <= 2^53 - 1, so ZWARN,
 * NUMEXP and most counts stay numbers), else its decimal string, so a TARGETID beyond 2^53 keeps every digit.
 *
 * @example
 * int64Json(4n); // 4
 * int64Json(39089837499744649n); // '39089837499744649'
 */
export function int64Json(v: bigint): number | string {
  return v > MAX_EXACT || v < -MAX_EXACT ? v.toString() : Number(v);
}

/**
 * How {@link toJson} writes bigints: `strings` (every one a decimal string: `--json` summaries, where a field's type must
 * not depend on its value) or `exact-numbers` (data rows: {@link int64Json}).
 *
 * @example
 * toJson({ n: 3n }, undefined, 'exact-numbers'); // '{"n":3}'
 */
export type BigintJson = 'strings' | 'exact-numbers';

/**
 * JSON with bigints as decimal strings (ids beyond 2^53 stay exact; `exact-numbers`: only those beyond 2^53) and
 * non-finite floats as strings (`"NaN"`, `"Infinity"`).
 *
 * @example
 * toJson({ targetid: 39089837499744649n, z: NaN }); // '{"targetid":"39089837499744649","z":"NaN"}'
 */
export function toJson(value: unknown, indent?: number, bigints: BigintJson = 'strings'): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      typeof v === 'bigint'
        ? bigints === 'strings'
          ? v.toString()
          : int64Json(v)
        : typeof v === 'number' && !Number.isFinite(v)
          ? String(v)
          : v,
    indent,
  );
}

/**
/**
 * The `warnings` member of a `--json` document: the run's warnings so far, or nothing when there are none (so a clean
 * file's document keeps its documented keys).
 *
 * @example
 * out.stdout(toJson({ file, hdus, ...warningsOf(io) }));
 */
export function warningsOf(io: { warnings?: readonly string[] }): { warnings?: string[] } {
  return io.warnings?.length ? { warnings: [...io.warnings] } : {};
}

/**
 * Formats rows as an aligned text table for terminals.
 *
 * @example
 * textTable(['#', 'name'], [[0, 'PRIMARY'], [1, 'ZCATALOG']]);
 */
export function textTable(header: string[], rows: (string | number | null)[][]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === null ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
