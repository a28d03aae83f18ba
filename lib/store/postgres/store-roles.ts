import { StoreError } from '../../errors/index.js';
import { ensureBookkeeping, LEDGER_TABLE, QUARANTINE_TABLE, REMOVE_LOAD_FUNCTION, sequenceName } from '../ledger.js';
import { storeEngineOf } from '../open-store.js';
import { sql, type SqlQuery } from '../sql.js';
import type { StoreSession } from '../store.js';
import { openPostgres } from './pg-store.js';
import {
  APPEND_ONLY_FUNCTION,
  appendOnlyBody,
  appendOnlyFunction,
  GUARD_FUNCTION,
  GUARD_PREFIX,
  guardBody,
  guardFunction,
  removeLoadBody,
  removeLoadFunction,
} from './roles-sql.js';

/**
 * Options for `ensureStoreRoles`.
 *
 * @example
 * const opts: StoreRolesOptions = { schema: 'dr1', analyst: 'dr1_reader', loader: 'dr1_loader' };
 */
export interface StoreRolesOptions {
  /** The schema the roles read and load (default `public`); made when missing. */
  schema?: string;
  /** The read-only role (default `skybook_analyst`). */
  analyst?: string;
  /** The loading role (default `skybook_loader`). */
  loader?: string;
}

/**
 * What `ensureStoreRoles` found and did. `changes` is empty when the database already was as asked (a re-run).
 *
 * @example
 * if (r.changes.length === 0) console.log('nothing to change');
 */
export interface StoreRolesResult {
  database: string;
  schema: string;
  analyst: string;
  loader: string;
  /** The role that ran the set-up: it owns the ledger, its functions and the tables it made. */
  admin: string;
  /** One line per change made, in order. */
  changes: string[];
  /** What the set-up could not fix without touching other roles (grants to PUBLIC, memberships). */
  warnings: string[];
}

/** The read-only role's name unless given. */
export const DEFAULT_ANALYST = 'skybook_analyst';
/** The loading role's name unless given. */
export const DEFAULT_LOADER = 'skybook_loader';

// The guard's event trigger is named after the loader (GUARD_PREFIX + name), within PostgreSQL's 63 characters.
const ROLE_NAME = /^[a-z][a-z0-9_]{0,47}$/;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED = new Set(['public', 'none', 'current_role', 'current_user', 'session_user', 'postgres']);
/** Table privileges neither role holds (the loader's own tables included). */
const WRITES = ['UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'] as const;

/**
 * A role name as `skybook store roles` takes it: lower-case letters, digits and `_`, starting with a letter, at most 48
 * characters, not `pg_...` nor a reserved name. Anything else is a StoreError (exit code 2) naming the option.
 *
 * @example
 * checkRoleName('loader', 'dr1_loader'); // 'dr1_loader'
 */
export function checkRoleName(option: 'analyst' | 'loader', name: string): string {
  if (!ROLE_NAME.test(name) || name.startsWith('pg_') || RESERVED.has(name))
    throw new StoreError(
      `invalid --${option}: ${JSON.stringify(name)} (a role name: lower-case letters, digits and _, starting with a letter, at most 48 characters, not pg_... or ${[...RESERVED].join('/')})`,
    );
  return name;
}

/** The schema option, checked the same way as a role name (lower case: PostgreSQL folds unquoted names). */
function checkSchema(name: string): string {
  if (!SCHEMA_NAME.test(name) || name.startsWith('pg_'))
    throw new StoreError(`invalid --schema: ${JSON.stringify(name)} (lower-case letters, digits and _, at most 63 characters, not pg_...)`);
  return name;
}

/** A query whose one row has a boolean `ok`. */
async function holds(s: StoreSession, q: SqlQuery): Promise<boolean> {
  return (await s.query(q)).get(0)?.toJSON().ok === true;
}

/** One text column of a query's rows. */
async function names(s: StoreSession, q: SqlQuery, column = 'name'): Promise<string[]> {
  const t = await s.query(q);
  return t.numRows ? (t.getChild(column)!.toArray() as string[]) : [];
}

/**
 * Makes (or brings up to date) a read-only analyst role and a loader role for one schema of a PostgreSQL database,
 * in one transaction; a re-run changes nothing and returns no changes. Needs a superuser connection (the loader's
 * guard is an event trigger). What each role may do, and why, is in docs/roles.md:
 * - analyst: CONNECT, USAGE on the schema, SELECT on its tables and on tables made there later; nothing else.
 * - loader: what `skybook ingest` runs: CREATE in the schema (new tables, their q3c index), INSERT into data,
 *   quarantine and ledger tables, `--replace` through `skybook_remove_load`; no DROP, TRUNCATE, UPDATE or DELETE.
 * Roles are made with LOGIN and no password (set one with ALTER ROLE ... PASSWORD, or use pg_hba.conf).
 *
 * @example
 * const r = await ensureStoreRoles('postgres://postgres@db/lab', { schema: 'dr1' });
 * r.changes // ['created role skybook_analyst (LOGIN, no password)', ...]
 */
export async function ensureStoreRoles(url: string, opts: StoreRolesOptions = {}): Promise<StoreRolesResult> {
  if (storeEngineOf(url) !== 'postgres')
    throw new StoreError(
      `DuckDB has no roles (whoever can read ${JSON.stringify(url)} reads all of it): --db must be postgres://USER@HOST:PORT/DB`,
    );
  const schema = checkSchema(opts.schema ?? 'public');
  const analyst = checkRoleName('analyst', opts.analyst ?? DEFAULT_ANALYST);
  const loader = checkRoleName('loader', opts.loader ?? DEFAULT_LOADER);
  if (analyst === loader) throw new StoreError(`invalid --loader: ${loader} is also the analyst (two roles, two names)`);
  const store = await openPostgres(url, { max: 1 });
  try {
    return await store.transaction((tx) => setUp(tx, schema, analyst, loader));
  } finally {
    await store.close();
  }
}

/** The set-up inside one transaction: each step looks first and acts only when the database is not yet as asked. */
async function setUp(tx: StoreSession, schema: string, analyst: string, loader: string): Promise<StoreRolesResult> {
  const who = (
    await tx.query(sql`select current_user as admin, current_database() as db, rolsuper as ok
    from pg_roles where rolname = current_user`)
  )
    .get(0)!
    .toJSON();
  const admin = String(who.admin);
  const database = String(who.db);
  if (who.ok !== true)
    throw new StoreError(
      `${admin} is not a superuser: the loader's guard is an event trigger, which only a superuser may create (connect as one)`,
      { engine: 'postgres' },
    );
  for (const [option, name] of [
    ['analyst', analyst],
    ['loader', loader],
  ] as const) {
    if (name === admin) throw new StoreError(`invalid --${option}: ${name} is the role running this (it would keep all its rights)`);
    await refusePowerful(tx, option, name);
  }
  const changes: string[] = [];
  const warnings: string[] = [];
  const ensure = async (what: string, isSo: SqlQuery, ...make: SqlQuery[]) => {
    if (await holds(tx, isSo)) return;
    for (const q of make) await tx.run(q);
    changes.push(what);
  };
  const S = sql.id(schema);
  const A = sql.id(analyst);
  const L = sql.id(loader);
  const D = sql.id(database);

  for (const [role, R] of [
    [analyst, A],
    [loader, L],
  ] as const) {
    await ensure(
      `created role ${role} (LOGIN, no password: set one with ALTER ROLE ${role} PASSWORD, or use pg_hba.conf)`,
      sql`select exists (select 1 from pg_roles where rolname = ${role}) as ok`,
      sql`create role ${R} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls`,
    );
    await ensure(`let ${role} log in`, sql`select rolcanlogin as ok from pg_roles where rolname = ${role}`, sql`alter role ${R} login`);
    await ensure(
      `granted ${role} CONNECT on database ${database}`,
      sql`select has_database_privilege(${role}, current_database(), 'CONNECT') as ok`,
      sql`grant connect on database ${D} to ${R}`,
    );
  }
  await ensure(
    `created schema ${schema}`,
    sql`select exists (select 1 from pg_namespace where nspname = ${schema}) as ok`,
    sql`create schema ${S}`,
  );
  await ensure(
    'installed q3c in public (a loader cannot; its sky index needs it)',
    sql`select exists (select 1 from pg_extension where extname = 'q3c')
      or not exists (select 1 from pg_available_extensions where name = 'q3c') as ok`,
    sql`create extension if not exists q3c with schema public`,
  );
  await ensure(
    `granted ${analyst} USAGE on schema ${schema}`,
    sql`select has_schema_privilege(${analyst}, ${schema}, 'USAGE') as ok`,
    sql`grant usage on schema ${S} to ${A}`,
  );
  await ensure(
    `revoked CREATE on schema ${schema} from ${analyst}`,
    sql`select not has_schema_privilege(${analyst}, ${schema}, 'CREATE') as ok`,
    sql`revoke create on schema ${S} from ${A}`,
  );
  if (await holds(tx, sql`select has_schema_privilege(${analyst}, ${schema}, 'CREATE') as ok`))
    warnings.push(`${analyst} can still CREATE in schema ${schema} through PUBLIC or a role it belongs to`);
  await ensure(
    `granted ${loader} USAGE and CREATE on schema ${schema}`,
    sql`select has_schema_privilege(${loader}, ${schema}, 'USAGE') and has_schema_privilege(${loader}, ${schema}, 'CREATE') as ok`,
    sql`grant usage, create on schema ${S} to ${L}`,
  );

  // The ledger and quarantine belong to the admin, so the loader cannot drop or empty them.
  const seq = sequenceName({ schema, name: LEDGER_TABLE });
  const bookkeeping = sql`select count(*) = 2 and to_regclass(${seq}) is not null as ok from pg_tables where schemaname = ${schema}
    and tablename in (${LEDGER_TABLE}, ${QUARANTINE_TABLE})`;
  if (!(await holds(tx, bookkeeping))) {
    await ensureBookkeeping(tx, { schema, name: LEDGER_TABLE });
    changes.push(`created ${schema}.${LEDGER_TABLE}, its load-id sequence and ${schema}.${QUARANTINE_TABLE} (owned by ${admin})`);
  }
  // Load ids come from the ledger's sequence (nextval needs USAGE); the sequence, too, belongs to the admin.
  await ensure(
    `granted ${loader} USAGE on ${seq}`,
    sql`select has_sequence_privilege(${loader}, ${seq}, 'USAGE') as ok`,
    sql`grant usage on sequence ${sql.raw(seq)} to ${L}`,
  );
  const ledger = `${sql.id(schema).text}.${LEDGER_TABLE}`;
  await ensure(
    `made ${schema}.${APPEND_ONLY_FUNCTION} (the ledger is appended to, never updated, by roles that do not own it)`,
    functionIs(schema, APPEND_ONLY_FUNCTION, appendOnlyBody()),
    appendOnlyFunction(schema),
  );
  await ensure(
    `made trigger skybook_loads_append_only on ${schema}.${LEDGER_TABLE}`,
    sql`select exists (select 1 from pg_trigger where tgrelid = cast(${ledger} as regclass)
      and tgname = 'skybook_loads_append_only' and tgenabled <> 'D') as ok`,
    sql`drop trigger if exists skybook_loads_append_only on ${S}.${sql.id(LEDGER_TABLE)}`,
    sql`create trigger skybook_loads_append_only before update on ${S}.${sql.id(LEDGER_TABLE)}
      for each statement execute function ${S}.${sql.id(APPEND_ONLY_FUNCTION)}()`,
  );
  const removeFn = `${sql.id(schema).text}.${REMOVE_LOAD_FUNCTION}(regclass, integer)`;
  await ensure(
    `made ${schema}.${REMOVE_LOAD_FUNCTION} (ingest --replace for a role that may not delete; runs as ${admin})`,
    functionIs(schema, REMOVE_LOAD_FUNCTION, removeLoadBody(schema)),
    removeLoadFunction(schema),
    sql`revoke all on function ${sql.raw(removeFn)} from public`,
  );
  await ensure(
    `granted ${loader} EXECUTE on ${schema}.${REMOVE_LOAD_FUNCTION}`,
    sql`select has_function_privilege(${loader}, ${removeFn}, 'EXECUTE') as ok`,
    sql`grant execute on function ${sql.raw(removeFn)} to ${L}`,
  );
  await ensure(
    `revoked EXECUTE on ${schema}.${REMOVE_LOAD_FUNCTION} from PUBLIC and ${analyst}`,
    sql`select not has_function_privilege(${analyst}, ${removeFn}, 'EXECUTE') as ok`,
    sql`revoke all on function ${sql.raw(removeFn)} from public, ${A}`,
  );
  await ensure(
    `made public.${GUARD_FUNCTION} (refuses DDL by loader roles)`,
    functionIs('public', GUARD_FUNCTION, guardBody()),
    guardFunction(),
  );
  const guard = GUARD_PREFIX + loader;
  await ensure(
    `made event trigger ${guard} (refuses DROP, ALTER, GRANT, ... by ${loader})`,
    sql`select exists (select 1 from pg_event_trigger where evtname = ${guard} and evtenabled <> 'D') as ok`,
    sql`drop event trigger if exists ${sql.id(guard)}`,
    sql`create event trigger ${sql.id(guard)} on ddl_command_start execute function public.${sql.id(GUARD_FUNCTION)}()`,
  );

  await tablePrivileges(tx, schema, analyst, loader, changes, warnings);
  for (const owner of [admin, loader]) {
    const inSchema = sql`select exists (select 1 from pg_default_acl d, aclexplode(d.defaclacl) a
      where d.defaclrole = cast(${owner} as regrole) and d.defaclobjtype = 'r'
      and d.defaclnamespace = (select oid from pg_namespace where nspname = ${schema})
      and a.grantee = cast(${analyst} as regrole) and a.privilege_type = 'SELECT') as ok`;
    await ensure(
      `tables ${owner} makes in ${schema} from now on: SELECT for ${analyst}`,
      inSchema,
      sql`alter default privileges for role ${sql.id(owner)} in schema ${S} grant select on tables to ${A}`,
    );
  }
  const loaderDefaults = (privilege: string) => sql`select exists (select 1 from pg_default_acl d, aclexplode(d.defaclacl) a
      where d.defaclrole = cast(${admin} as regrole) and d.defaclobjtype = 'r'
      and d.defaclnamespace = (select oid from pg_namespace where nspname = ${schema})
      and a.grantee = cast(${loader} as regrole) and a.privilege_type = ${privilege})`;
  await ensure(
    `tables ${admin} makes in ${schema} from now on: SELECT and INSERT for ${loader}`,
    sql`select (${loaderDefaults('SELECT')}) and (${loaderDefaults('INSERT')}) as ok`,
    sql`alter default privileges for role ${sql.id(admin)} in schema ${S} grant select, insert on tables to ${L}`,
  );
  await ensure(
    `tables ${loader} makes from now on: no ${WRITES.join(', ')} for ${loader} itself (it keeps SELECT and INSERT)`,
    sql`select coalesce((select not exists (select 1 from aclexplode(d.defaclacl) a where a.grantee = d.defaclrole
        and a.privilege_type in (${sql.join(WRITES.map((w) => sql`${w}`))})) from pg_default_acl d
      where d.defaclrole = cast(${loader} as regrole) and d.defaclobjtype = 'r' and d.defaclnamespace = 0), false) as ok`,
    sql`alter default privileges for role ${L} revoke ${sql.raw(WRITES.join(', '))} on tables from ${L}`,
  );
  for (const [role, R] of [
    [analyst, A],
    [loader, L],
  ] as const) {
    const expected = `search_path=${schema}, public`;
    await ensure(
      `${role} works in ${schema} (search_path ${schema}, public in database ${database})`,
      sql`select exists (select 1 from pg_db_role_setting s where s.setrole = cast(${role} as regrole)
        and s.setdatabase = (select oid from pg_database where datname = current_database()) and ${expected} = any (s.setconfig)) as ok`,
      sql`alter role ${R} in database ${D} set search_path = ${S}, public`,
    );
  }
  return { database, schema, analyst, loader, admin, changes, warnings };
}

/** Whether `schema.name` exists with exactly this body (so an older skybook's version is replaced). */
function functionIs(schema: string, name: string, body: string): SqlQuery {
  return sql`select exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = ${schema} and p.proname = ${name} and p.prosrc = ${body}) as ok`;
}

/** An existing role with powers beyond what is granted here would not be held to them: refused, not changed. */
async function refusePowerful(tx: StoreSession, option: 'analyst' | 'loader', name: string): Promise<void> {
  const t = await tx.query(
    sql`select rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls from pg_roles where rolname = ${name}`,
  );
  if (t.numRows === 0) return;
  const r = t.get(0)!.toJSON() as Record<string, boolean>;
  const powers = Object.entries({
    SUPERUSER: r.rolsuper,
    CREATEROLE: r.rolcreaterole,
    CREATEDB: r.rolcreatedb,
    REPLICATION: r.rolreplication,
    BYPASSRLS: r.rolbypassrls,
  })
    .filter(([, on]) => on)
    .map(([k]) => k);
  if (powers.length)
    throw new StoreError(
      `invalid --${option}: role ${name} exists with ${powers.join(', ')}, which no privilege can take back (pick another name, or ALTER ROLE ${name} NO${powers[0]})`,
    );
}

/** Grants and revokes on the tables already in the schema, so they match what the default privileges give new ones. */
async function tablePrivileges(
  tx: StoreSession,
  schema: string,
  analyst: string,
  loader: string,
  changes: string[],
  warnings: string[],
): Promise<void> {
  const inSchema = (cond: SqlQuery, kinds = `'r', 'p', 'v', 'm', 'f'`) =>
    names(
      tx,
      sql`select format('%I.%I', n.nspname, c.relname) as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in (${sql.raw(kinds)}) and (${cond}) order by c.relname`,
    );
  const act = async (what: string, tables: string[], make: (t: string) => SqlQuery) => {
    if (!tables.length) return;
    for (const t of tables) await tx.run(make(t));
    changes.push(`${what}: ${tables.join(', ')}`);
  };
  const A = sql.id(analyst);
  const L = sql.id(loader);
  const writes = WRITES.join(', ');
  await act(
    `granted ${analyst} SELECT`,
    await inSchema(sql`not has_table_privilege(${analyst}, c.oid, 'SELECT')`),
    (t) => sql`grant select on ${sql.raw(t)} to ${A}`,
  );
  const analystWrites = sql`has_table_privilege(${analyst}, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')`;
  await act(
    `revoked writes from ${analyst}`,
    await inSchema(analystWrites),
    (t) => sql`revoke insert, ${sql.raw(writes)} on ${sql.raw(t)} from ${A}`,
  );
  for (const t of await inSchema(analystWrites)) warnings.push(`${analyst} can still write ${t} through PUBLIC or a role it belongs to`);
  const tables = `'r', 'p'`;
  await act(
    `granted ${loader} SELECT and INSERT`,
    await inSchema(sql`not (has_table_privilege(${loader}, c.oid, 'SELECT') and has_table_privilege(${loader}, c.oid, 'INSERT'))`, tables),
    (t) => sql`grant select, insert on ${sql.raw(t)} to ${L}`,
  );
  // UPDATE on the ledger only because PostgreSQL 15 lets no lesser right LOCK it in share row exclusive mode (how
  // loads are serialised); its append-only trigger refuses the UPDATE itself.
  await act(
    `granted ${loader} UPDATE (for LOCK TABLE; updates refused by its trigger)`,
    await inSchema(sql`c.relname = ${LEDGER_TABLE} and not has_table_privilege(${loader}, c.oid, 'UPDATE')`, tables),
    (t) => sql`grant update on ${sql.raw(t)} to ${L}`,
  );
  const loaderWrites = sql`(c.relname <> ${LEDGER_TABLE} and has_table_privilege(${loader}, c.oid, 'UPDATE'))
    or has_table_privilege(${loader}, c.oid, 'DELETE, TRUNCATE, REFERENCES, TRIGGER')`;
  await act(`revoked ${writes} from ${loader}`, await inSchema(loaderWrites, tables), (t) =>
    t.endsWith(`.${LEDGER_TABLE}`)
      ? sql`revoke delete, truncate, references, trigger on ${sql.raw(t)} from ${L}`
      : sql`revoke ${sql.raw(writes)} on ${sql.raw(t)} from ${L}`,
  );
  for (const t of await inSchema(loaderWrites, tables))
    warnings.push(`${loader} can still change rows of ${t} through PUBLIC or a role it belongs to`);
}
