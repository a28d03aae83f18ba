import { escapeHtml } from '../core/index.js';

// Kept here, where notebook users find it (viz.escapeHtml); it lives in lib/core so lib/pipeline's pages escape alike.
export { escapeHtml };
/**
 * JSON that is safe inside a `<script>` element: `<`, `>`, `&` and the JS-only line separators become \u escapes,
 * so a string holding `</script>` cannot end the element early.
 *
 * @example
 * scriptJson({ a: '</script>' }); // '{"a":"\\u003c/script\\u003e"}'
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
