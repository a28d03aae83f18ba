const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function inline(s: string): string {
  // Code spans first, so their contents are not read as emphasis; inline HTML is kept as Jupyter renders it.
  const codes: string[] = [];
  let t = s.replace(/`([^`]+)`/g, (_m, c: string) => `\u0000${codes.push(`<code>${esc(c)}</code>`) - 1}\u0000`);
  t = t
    .replace(/!\[([^\]]*)\]\(([^)\s]+)\)/g, '<img alt="$1" src="$2">')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^*\w])\*([^*\n]+)\*/g, '$1<em>$2</em>')
    .replace(/(^|\W)_([^_\n]+)_(?=\W|$)/g, '$1<em>$2</em>');
  return t.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => codes[Number(i)]!);
}

/**
 * A small Markdown renderer for notebook text cells (headings, paragraphs, lists, fenced code, block quotes,
 * emphasis, code spans, links, images, inline HTML): enough for a static export without a dependency.
 *
 * @example
 * renderMarkdown('# Title\n\nSome *text*.') // '<h1>Title</h1>\n<p>Some <em>text</em>.</p>'
 */
export function renderMarkdown(src: string): string {
  const lines = src.split('\n');
  const out: string[] = [];
  let para: string[] = [];
  const flush = () => {
    if (para.length) out.push(/^\s*</.test(para[0]!) ? para.join('\n') : `<p>${inline(para.join('\n'))}</p>`);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    let m;
    if (/^```/.test(l)) {
      flush();
      const code: string[] = [];
      while (++i < lines.length && !/^```/.test(lines[i]!)) code.push(lines[i]!);
      out.push(`<pre><code>${esc(code.join('\n'))}</code></pre>`);
    } else if ((m = /^(#{1,6})\s+(.*)$/.exec(l))) {
      flush();
      out.push(`<h${m[1]!.length}>${inline(m[2]!)}</h${m[1]!.length}>`);
    } else if (/^\s*([-*+]|\d+\.)\s+/.test(l)) {
      flush();
      const ordered = /^\s*\d+\./.test(l);
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*+]|\d+\.)\s+/.test(lines[i]!); i++)
        items.push(`<li>${inline(lines[i]!.replace(/^\s*([-*+]|\d+\.)\s+/, ''))}</li>`);
      i--;
      out.push(`<${ordered ? 'ol' : 'ul'}>${items.join('')}</${ordered ? 'ol' : 'ul'}>`);
    } else if (/^>\s?/.test(l)) {
      flush();
      out.push(`<blockquote>${inline(l.replace(/^>\s?/, ''))}</blockquote>`);
    } else if (l.trim() === '') flush();
    else para.push(l);
  }
  flush();
  return out.join('\n');
}
