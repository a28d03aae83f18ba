import { describe, expect, it } from 'vitest';
import { scanSql } from '../../lib/store/postgres/sql-scan.js';

// What the PostgreSQL read-only gate sees of a statement: quoting and comments never hide a keyword or a statement,
// and never invent one.
describe('scanSql', () => {
  it.each([
    ['select 1', 'select', 1],
    ['select 1;', 'select', 1],
    ['select 1;;  ', 'select', 1],
    ['  -- a comment\n  /* and /* nested */ one */ (select 1)', 'select', 1],
    ['select 1; drop table t', 'select', 2],
    ["select ';drop table t'", 'select', 1],
    ["select E'\\';drop table t'", 'select', 1],
    ["select 'it''s'; drop table t", 'select', 2],
    ['select "a;b" from t', 'select', 1],
    ['select $$;drop$$, $tag$ $$; $tag$', 'select', 1],
    ['select $1::int; drop table t', 'select', 2],
    ['select 1 -- ; drop table t', 'select', 1],
    ['select (1;2)', 'select', 1],
    ['DROP TABLE t', 'drop', 1],
    ['', '', 0],
    ['  -- nothing but a comment', '', 0],
    [';', '', 0],
  ])('%j: first word %j, %i statement(s)', (text, first, statements) => {
    const s = scanSql(text);
    expect(s.first).toBe(first);
    expect(s.statements).toBe(statements);
  });

  it.each([
    ["select pg_read_file('/etc/hostname')", 'pg_read_file'],
    ["select PG_CATALOG.Pg_Read_Binary_File('/etc/hostname')", 'pg_read_binary_file'],
    ['select "pg_ls_dir"(\'/\')', 'pg_ls_dir'],
    ["select query_to_xml('select pg_read' || '_file(1)', true, false, '')", 'query_to_xml'],
    ["select x from t where s = 'lo_import'", 'lo_import'],
    ["do $$ begin perform lo_export(1, '/tmp/x'); end $$", 'lo_export'],
    ["select * from dblink('host=x', 'select 1') as t(a int)", 'dblink'],
    ["select 'pg_read_files_are_fine', read_file_name from t", undefined],
    ['select * from files', undefined],
  ])('%j names the file function %j', (text, fn) => {
    expect(scanSql(text).fileFunction).toBe(fn);
  });

  it('collects the words outside strings, quoted names and comments', () => {
    const s = scanSql(`with d as (delete from t returning *) select "insert", 'update' /* merge */ from d`);
    expect([...s.words].sort()).toEqual(['as', 'd', 'delete', 'from', 'returning', 'select', 't', 'with']);
  });
});
