/**
 * What `skybook query` needs to know about a PostgreSQL statement before sending it, read by a lexer that knows
 * PostgreSQL's quoting (so a word inside a string, a quoted identifier or a comment is never taken for a keyword):
 * the first word, the words at the top level, the statements, and the names of the server-file functions it calls.
 * It decides nothing alone: the server still parses the statement, and its read-only transaction still refuses writes.
 */
export interface SqlScan {
  /** The first word, lower case, after any opening parentheses and comments; '' when there is none. */
  first: string;
  /** Every unquoted word outside strings and comments, lower case. */
  words: ReadonlySet<string>;
  /** Non-empty statements, split at semicolons outside strings, comments and parentheses. */
  statements: number;
  /** A server-file function (or one that runs SQL from text) named anywhere, strings included; undefined when none. */
  fileFunction: string | undefined;
}

/**
 * PostgreSQL's functions that read or write the server's files, list its folders, or run SQL given as text (which could
 * call them out of sight): refused unless file access is allowed. Superusers and members of pg_read_server_files /
 * pg_write_server_files may call them; a role without those privileges is the server's own guarantee.
 */
const FILE_FUNCTIONS = new Set([
  'pg_read_file',
  'pg_read_binary_file',
  'pg_stat_file',
  'pg_ls_dir',
  'pg_ls_logdir',
  'pg_ls_waldir',
  'pg_ls_tmpdir',
  'pg_ls_archive_statusdir',
  'pg_ls_logicalsnapdir',
  'pg_ls_logicalmapdir',
  'pg_ls_replslotdir',
  'pg_logdir_ls',
  'pg_file_write',
  'pg_file_sync',
  'pg_file_rename',
  'pg_file_unlink',
  'lo_import',
  'lo_export',
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
]);
/** dblink's functions run SQL on another server, given as text. */
const FILE_PREFIXES = ['dblink'];

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const DOLLAR_TAG = /\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/y;

/** Where a sticky pattern's match at `at` ends; -1 when it does not match there. */
function matchEnd(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : -1;
}

/**
 * The text of a quoted string or identifier opening at `at` (its quote character there; a doubled quote stands for
 * one, and with `escapes` a backslash keeps the next character), and where it ends (after the closing quote).
 */
function quoted(text: string, at: number, escapes: boolean): { body: string; end: number } {
  const quote = text[at]!;
  let body = '';
  let j = at + 1;
  while (j < text.length) {
    const ch = text[j]!;
    if (escapes && ch === '\\') {
      body += text.slice(j, j + 2);
      j += 2;
    } else if (ch === quote && text[j + 1] === quote) {
      body += quote;
      j += 2;
    } else if (ch === quote) return { body, end: j + 1 };
    else {
      body += ch;
      j++;
    }
  }
  return { body, end: text.length };
}

function isFileFunction(name: string): boolean {
  return FILE_FUNCTIONS.has(name) || FILE_PREFIXES.some((p) => name.startsWith(p));
}

/** The first file function named as a word inside a string's text. */
function fileFunctionIn(text: string): string | undefined {
  for (const m of text.toLowerCase().matchAll(/[a-z_][a-z0-9_$]*/g)) if (isFileFunction(m[0])) return m[0];
  return undefined;
}

/**
 * Scans one piece of PostgreSQL text: quotes ('...' with '' doubled, E'...' with backslash escapes, "identifiers",
 * $tag$...$tag$), comments (-- to the end of the line, nested block comments), words and semicolons.
 *
 * @example
 * scanSql("select 1; drop table t") // { first: 'select', statements: 2, ... }
 */
export function scanSql(text: string): SqlScan {
  const words = new Set<string>();
  let first = '';
  let statements = 0;
  let current = false; // the current statement has a token
  let depth = 0;
  let fileFunction: string | undefined;
  const note = (name: string) => {
    if (fileFunction === undefined && isFileFunction(name)) fileFunction = name;
  };
  const token = () => {
    if (!current) statements++;
    current = true;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (c === '/' && next === '*') {
      let nest = 1;
      i += 2;
      while (i < text.length && nest > 0) {
        const pair = text.slice(i, i + 2);
        if (pair === '/*' || pair === '*/') {
          nest += pair === '/*' ? 1 : -1;
          i += 2;
        } else i++;
      }
    } else if (c === "'" || ((c === 'e' || c === 'E') && next === "'")) {
      token();
      const escapes = c !== "'";
      const q = quoted(text, escapes ? i + 1 : i, escapes);
      fileFunction ??= fileFunctionIn(q.body);
      i = q.end;
    } else if (c === '"') {
      token();
      const q = quoted(text, i, false);
      note(q.body.toLowerCase());
      if (!first) first = '"';
      i = q.end;
    } else if (c === '$' && matchEnd(DOLLAR_TAG, text, i) > 0) {
      token();
      const open = matchEnd(DOLLAR_TAG, text, i);
      const tag = text.slice(i, open);
      const end = text.indexOf(tag, open);
      fileFunction ??= fileFunctionIn(text.slice(open, end < 0 ? text.length : end));
      i = end < 0 ? text.length : end + tag.length;
    } else if (matchEnd(WORD, text, i) > 0) {
      token();
      const to = matchEnd(WORD, text, i);
      const w = text.slice(i, to).toLowerCase();
      words.add(w);
      note(w);
      if (!first) first = w;
      i = to;
    } else if (c === ';' && depth === 0) {
      current = false;
      i++;
    } else {
      if (!/\s/.test(c)) {
        token();
        if (c === '(') depth++;
        else if (c === ')') depth = Math.max(0, depth - 1);
        else if (!first) first = c;
      }
      i++;
    }
  }
  return { first, words, statements, fileFunction };
}
