import { columnFormat, formatCell } from './format-cell.js';

/**
 * An Arrow vector (a table column) as one line of text: its type, length and first values, exactly (int64 as
 * bigints, float32 as the shortest decimal that reads back as the same float32). `util.inspect` would print the
 * vector's internal buffers instead.
 *
 * @example
 * vectorText(table.getChild('Z')); // 'Float64 vector, 1,234 values: [0.5, 1.25, 2, …]'
 */
export function vectorText(v: { length: number; type: unknown; get?(i: number): unknown }, show = 10): string {
  const n = v.length;
  const values: string[] = [];
  const exact = { float32: columnFormat(v.type).float32 === true };
  for (let i = 0; i < Math.min(n, show); i++) values.push(formatCell(v.get ? v.get(i) : undefined, exact));
  const count = String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${String(v.type)} vector, ${count} value${n === 1 ? '' : 's'}: [${values.join(', ')}${n > show ? ', …' : ''}]`;
}
