import { afterAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "./client.ts";
import { databaseConnectionProblem } from "./database-errors.ts";
import { testDatabaseUrl } from "./testing/test-database-url.ts";

const admin = createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 1 });
afterAll(() => admin.$disconnect());

const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("the query succeeded"),
    (error: unknown) => error,
  );

/**
 * A model query whose server process is ended while it runs, as an operator's shutdown would end it.
 * The query waits on a table lock held by another connection, which then terminates it: ending an idle
 * connection instead races the pool, which may notice first and answer on a fresh one.
 */
async function queryEndedMidway(db: ReturnType<typeof createPrismaClient>) {
  const [row] = await db.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
  return admin.$transaction(async (tx) => {
    await tx.$executeRaw`LOCK TABLE plans IN ACCESS EXCLUSIVE MODE`;
    const counted = failure(db.plan.count());
    await expect
      .poll(
        async () =>
          (
            await tx.$queryRaw<{ waiting: boolean }[]>`
              SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = ${row?.pid}::int`
          )[0]?.waiting,
      )
      .toBe(true);
    await tx.$queryRaw`SELECT pg_terminate_backend(${row?.pid}::int)`;
    return counted;
  });
}

describe("databaseConnectionProblem, on errors real Postgres gives", () => {
  it("names a server it cannot reach, for model queries and raw ones", async () => {
    const url = new URL(testDatabaseUrl());
    url.port = "1";
    const unreachable = createPrismaClient({ databaseUrl: url.toString() });
    try {
      expect(databaseConnectionProblem(await failure(unreachable.plan.count()))).toBe("cannot reach the server");
      expect(databaseConnectionProblem(await failure(unreachable.$queryRaw`SELECT 1`))).toBe("cannot reach the server");
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("names a connection the server ended (a restart), in and out of a transaction", async () => {
    const db = createPrismaClient({ databaseUrl: testDatabaseUrl(), maxConnections: 1 });
    try {
      expect(databaseConnectionProblem(await queryEndedMidway(db))).toBe("the server is shutting down");
      // The pool replaces the connection: the next query is answered.
      expect(await db.plan.count()).toBeGreaterThanOrEqual(0);
      const inTransaction = await failure(
        db.$transaction(async (tx) => {
          const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await admin.$queryRaw`SELECT pg_terminate_backend(${row?.pid}::int)`;
          return tx.plan.count();
        }),
      );
      expect(databaseConnectionProblem(inTransaction)).not.toBeNull();
    } finally {
      await db.$disconnect();
    }
  });

  it("is null for the query's own errors: a syntax error, a missing row, a broken constraint", async () => {
    expect(databaseConnectionProblem(await failure(admin.$queryRaw`SELEC 1`))).toBeNull();
    expect(
      databaseConnectionProblem(await failure(admin.tenant.update({ where: { id: "missing" }, data: { name: "x" } }))),
    ).toBeNull();
    expect(
      databaseConnectionProblem(
        await failure(admin.$executeRaw`INSERT INTO tenants (id) VALUES (NULL)`.then(() => undefined)),
      ),
    ).toBeNull();
    expect(databaseConnectionProblem(new Error("Connection to the bank refused"))).toBeNull();
    expect(databaseConnectionProblem(null)).toBeNull();
  });
});
