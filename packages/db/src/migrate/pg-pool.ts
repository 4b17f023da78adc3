import pg from "pg";

/** Postgres' internal one-byte `"char"` type (pg_constraint.contype, pg_class.relkind, ...). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

/**
 * A pg pool for the schema engine.
 *
 * @prisma/adapter-pg 7.10.1 has no column-type mapping for `"char"` (OID 18), which the engine's
 * schema describer selects from pg_catalog, so any read of a live database fails with
 * "Column type 'char' could not be deserialized from the database.". pg has already parsed such
 * values into one-character strings, so relabelling the column as `text` before the adapter sees
 * it is enough for the describer.
 */
export function createMigrationPool(connectionString: string): pg.Pool {
  // One connection, like the native engine: applyMigrations takes a session-level advisory lock and
  // leaves it to be released when the connection closes; it must be the session that runs the migrations.
  // (The engine runs its queries one at a time and opens no transactions through the adapter.)
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on("connect", patchClientQuery);
  // An idle client dropped by the server must not crash the process; the next query reports it.
  pool.on("error", () => undefined);
  return pool;
}

type AnyFunction = (...args: unknown[]) => unknown;

function patchClientQuery(client: pg.PoolClient): void {
  const original = client.query.bind(client) as AnyFunction;
  const patched: AnyFunction = (...args) => {
    const last = args.at(-1);
    if (typeof last === "function") {
      // Callback style: this is how pg.Pool#query drives its clients.
      const callback = last as AnyFunction;
      args[args.length - 1] = (err: unknown, res: unknown) => callback(err, err ? res : relabelCharColumns(res));
      return original(...args);
    }
    const result = original(...args);
    return isPromise(result) ? result.then(relabelCharColumns) : result;
  };
  // why the cast: Client#query is a large overload set that a forwarding wrapper cannot restate.
  client.query = patched as unknown as typeof client.query;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as Promise<unknown> | null)?.then === "function";
}

function relabelCharColumns(res: unknown): unknown {
  for (const result of Array.isArray(res) ? res : [res]) {
    const fields = (result as Partial<pg.QueryResultBase> | null)?.fields;
    for (const field of fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
    }
  }
  return res;
}
