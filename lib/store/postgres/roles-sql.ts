import { sql, type SqlQuery } from '../sql.js';
import { LEDGER_TABLE, QUARANTINE_TABLE, REMOVE_LOAD_FUNCTION } from '../ledger.js';

/**
 * The SQL objects `skybook store roles` makes for its two roles, as text it can compare with what the database holds
 * (so a re-run changes nothing). Every name in them was checked by the caller (lower-case letters, digits and `_`).
 * docs/roles.md says why each exists.
 */

/** Commands a loader role may run besides reading and appending (everything else an event trigger refuses). */
export const LOADER_DDL = ['CREATE TABLE', 'CREATE INDEX', 'COMMENT'] as const;

/** The event trigger that guards one loader role: its name is the mark the guard looks for. */
export const GUARD_PREFIX = 'skybook_guard_';

/** The guard function every loader's event trigger runs (one per database, in `public`). */
export const GUARD_FUNCTION = 'skybook_loader_guard';

/** The trigger that keeps the load ledger append-only for roles that do not own it. */
export const APPEND_ONLY_FUNCTION = 'skybook_ledger_append_only';

/**
 * Body of the guard: a role with an event trigger named `skybook_guard_ROLE` may create tables and indexes and comment
 * on columns, and no other command that event triggers see (DROP, ALTER, GRANT, REVOKE, CREATE FUNCTION, ...).
 */
export function guardBody(): string {
  const allowed = LOADER_DDL.map((t) => `'${t}'`).join(', ');
  return `
begin
  if tg_tag not in (${allowed})
     and exists (select 1 from pg_catalog.pg_event_trigger where evtname = '${GUARD_PREFIX}' || current_user) then
    raise exception 'permission denied for %: % is a skybook loader role (it creates tables and indexes and appends rows; it does not drop, alter or grant)', tg_tag, current_user
      using errcode = 'insufficient_privilege';
  end if;
end
`;
}

/** The guard function's definition. */
export function guardFunction(): SqlQuery {
  return sql`create or replace function public.${sql.id(GUARD_FUNCTION)}() returns event_trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $skybook$${sql.raw(guardBody())}$skybook$`;
}

/** Body of the ledger's trigger: UPDATE is for the ledger's owner only (a loader holds UPDATE only to LOCK it). */
export function appendOnlyBody(): string {
  return `
begin
  if not pg_catalog.pg_has_role(current_user, (select relowner from pg_catalog.pg_class where oid = tg_relid), 'USAGE') then
    raise exception 'permission denied for table %: the load ledger is appended to, never updated; a load is removed whole (skybook ingest --replace)', tg_table_name
      using errcode = 'insufficient_privilege';
  end if;
  return null;
end
`;
}

/** The ledger trigger function's definition, in `schema`. */
export function appendOnlyFunction(schema: string): SqlQuery {
  return sql`create or replace function ${sql.id(schema)}.${sql.id(APPEND_ONLY_FUNCTION)}() returns trigger language plpgsql
    set search_path = pg_catalog, pg_temp as $skybook$${sql.raw(appendOnlyBody())}$skybook$`;
}

/**
 * Body of `skybook_remove_load(target regclass, load_to_remove integer)`: what `ingest --replace` deletes, for a role that may not
 * delete. Run with its owner's rights (SECURITY DEFINER), it removes only a whole load that the ledger of its own schema
 * says went into `target`: the rows, the quarantined rows and the ledger row. Returns the data rows removed.
 */
export function removeLoadBody(schema: string): string {
  const s = sql.id(schema).text;
  const lit = `'${schema}'`;
  return `
declare
  rel_schema name;
  rel_name name;
  removed bigint;
begin
  select n.nspname, c.relname into rel_schema, rel_name
    from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace where c.oid = target;
  if rel_schema is distinct from ${lit} or rel_name in ('${LEDGER_TABLE}', '${QUARANTINE_TABLE}') then
    raise exception 'permission denied: % is not a loaded table of schema %', target, ${lit} using errcode = 'insufficient_privilege';
  end if;
  if not exists (select 1 from ${s}.${LEDGER_TABLE} where load_id = load_to_remove and table_name = rel_name) then
    raise exception 'permission denied: the ledger of schema % has no load % into %', ${lit}, load_to_remove, rel_name using errcode = 'insufficient_privilege';
  end if;
  execute format('delete from %I.%I where skybook_load = $1', rel_schema, rel_name) using load_to_remove;
  get diagnostics removed = row_count;
  delete from ${s}.${QUARANTINE_TABLE} where skybook_load = load_to_remove;
  delete from ${s}.${LEDGER_TABLE} where load_id = load_to_remove;
  return removed;
end
`;
}

/** The remove-load function's definition, in `schema`. */
export function removeLoadFunction(schema: string): SqlQuery {
  return sql`create or replace function ${sql.id(schema)}.${sql.id(REMOVE_LOAD_FUNCTION)}(target regclass, load_to_remove integer)
    returns bigint language plpgsql security definer set search_path = pg_catalog, pg_temp
    as $skybook$${sql.raw(removeLoadBody(schema))}$skybook$`;
}
