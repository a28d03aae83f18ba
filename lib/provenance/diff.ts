/**
 * A line diff (longest common subsequence) in unified style, `-` for lines only in `a`, `+` only in `b`, with
 * `context` unchanged lines around each change; enough to show how two cells' outputs differ.
 *
 * @example
 * lineDiff('a\nb', 'a\nc') // '  a\n- b\n+ c'
 */
export function lineDiff(a: string, b: string, context = 3): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  if (n * m > 4e6) return `- (${n} lines)\n+ (${m} lines)`;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: [' ' | '-' | '+', string][] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push([' ', x[i++]!]);
      j++;
    } else if (j < m && (i === n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push(['+', y[j++]!]);
    else ops.push(['-', x[i++]!]);
  }
  const keep = ops.map((_, k) => ops.slice(Math.max(0, k - context), k + context + 1).some(([o]) => o !== ' '));
  const out: string[] = [];
  ops.forEach(([o, l], k) => {
    if (keep[k]) out.push(`${o} ${l}`);
    else if (keep[k - 1]) out.push('  ...');
  });
  return out.join('\n');
}
