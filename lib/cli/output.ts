/** JSON with bigints as decimal strings (ids beyond 2^53 stay exact) and non-finite floats as strings. */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(
    value,
    (_k, v) => (typeof v === 'bigint' ? v.toString() : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
    indent,
  );
}

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

/** Formats rows as an aligned text table for terminals. */
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
