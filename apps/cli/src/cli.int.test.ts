import { appendFileSync, mkdtempSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  AuditCheckpointer,
  auditEventHash,
  auditSigningKeys,
  CheckpointDirectory,
  verifyAuditChain,
} from "@aiaas/core/audit";
import { parseMasterKeys, TenantKeyring } from "@aiaas/core/crypto";
import { ApiKeyVerifier } from "@aiaas/core/keys";
import { createRedis } from "@aiaas/core/platform";
import { publishWorkerStatus } from "@aiaas/core/queue";
import { setTenantStatus } from "@aiaas/core/tenants";
import { createTestTenant, testContext, testDb, testOwnerDb, testPepper, testRedisUrl } from "@aiaas/core/testing";
import { createPrismaClient } from "@aiaas/db";
import { withTemporaryDatabase } from "@aiaas/db/testing";
import { aiaas } from "@aiaas/core/testing";

const db = testDb();
/** The database's owner: only the owner can get past the audit log's trigger, as an attacker with its powers would. */
const owner = testOwnerDb();
afterAll(() => db.$disconnect());

const slug = () => `cli-${randomBytes(4).toString("hex")}`;

/** A master key with an id of its own, so a rotation here re-wraps only this test's data keys. */
const masterKey = (label: string) => {
  const id = `${label}-${randomBytes(4).toString("hex")}`;
  return { id, entry: `${id}:${randomBytes(32).toString("base64")}` };
};

describe("aiaas CLI", () => {
  it("creates, lists, suspends and resumes tenants, auditing each change", async () => {
    const name = slug();
    const created = await aiaas(["tenants", "create", "--name", "CLI Test", "--slug", name, "--json"]);
    expect(created.code).toBe(0);
    const tenant = JSON.parse(created.stdout) as { id: string; slug: string; status: string };
    expect(tenant).toMatchObject({ slug: name, status: "active" });

    const listed = JSON.parse((await aiaas(["tenants", "list", "--json"])).stdout) as { slug: string; plan: string }[];
    expect(listed.find((row) => row.slug === name)).toMatchObject({ plan: "free" });

    expect((await aiaas(["tenants", "suspend", name, "--reason", "unpaid", "--json"])).code).toBe(0);
    expect((await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).status).toBe("suspended");
    const again = await aiaas(["tenants", "suspend", name]);
    expect(again).toMatchObject({ code: 1, stderr: `aiaas: tenant "${name}" is already suspended\n` });
    expect((await aiaas(["tenants", "resume", name])).stdout).toBe(`Tenant ${name} is now active.\n`);

    const actions = await db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
    expect(actions.map((event) => event.action)).toEqual(["tenant.create", "tenant.suspend", "tenant.resume"]);
    expect(actions.every((event) => event.actorType === "operator")).toBe(true);
    expect((await verifyAuditChain(tenant.id, db)).broken).toBeNull();
  });

  it("grants a tenant the echo model and takes it back, audited; refuses an open model", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "Echo", "--slug", name]);
    expect((await aiaas(["tenants", "grant-model", name, "echo"])).stdout).toBe(
      `Tenant ${name} may use echo (gateways see it within 10 s).\n`,
    );
    expect((await aiaas(["tenants", "grant-model", name, "echo"])).stdout).toBe(
      `Tenant ${name} already may use echo; nothing changed.\n`,
    );
    expect((await aiaas(["tenants", "revoke-model", name, "echo", "--json"])).code).toBe(0);
    const open = await aiaas(["tenants", "grant-model", name, "kjv-gpt-mini"]);
    expect(open).toMatchObject({ code: 1, stderr: expect.stringContaining("open to every tenant") as unknown });
    const tenant = await db.tenant.findUniqueOrThrow({ where: { slug: name } });
    const actions = await db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
    expect(actions.map((event) => event.action)).toEqual([
      "tenant.create",
      "model.access.grant",
      "model.access.revoke",
    ]);
  });

  it("creates a key printed once, lists it masked, and revokes it", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "Keys", "--slug", name]);
    const created = await aiaas([
      "keys",
      "create",
      "--tenant",
      name,
      "--name",
      "ci",
      "--scopes",
      "chat:write,embeddings:write",
      "--json",
    ]);
    expect(created.code).toBe(0);
    const { id, secret } = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(secret).toMatch(/^aiaas_live_/);

    const listed = await aiaas(["keys", "list", "--tenant", name]);
    expect(listed.stdout).toContain(`${secret.slice(0, 15)}…${secret.slice(-4)}`);
    expect(listed.stdout).not.toContain(secret);

    expect((await aiaas(["keys", "revoke", id, "--tenant", name])).stdout).toBe(`Revoked ${id}.\n`);
    const [key] = JSON.parse((await aiaas(["keys", "list", "--tenant", name, "--json"])).stdout) as {
      status: string;
    }[];
    expect(key?.status).toBe("revoked");
  });

  it("revoke reaches running gateways: a verifier in another process refuses the key at once, not when its cache expires", async () => {
    const redis = createRedis(testRedisUrl(), "producer", "cli-test");
    const subscriber = createRedis(testRedisUrl(), "consumer", "cli-test-sub");
    await Promise.all([redis.connect(), subscriber.connect()]);
    const verifier = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    await verifier.start();
    try {
      const name = slug();
      await aiaas(["tenants", "create", "--name", "Revoke", "--slug", name]);
      const { id, secret } = JSON.parse((await aiaas(["keys", "create", "--tenant", name, "--json"])).stdout) as {
        id: string;
        secret: string;
      };
      expect((await verifier.verify(secret)).ok).toBe(true);
      const revoked = await aiaas(["keys", "revoke", id, "--tenant", name]);
      expect(revoked.code).toBe(0);
      // Refused long before the verifier's 60 s cache could have let go of the key: the revocation was pushed.
      // (Within milliseconds as a rule; the bound leaves a slow machine room.)
      await expect.poll(async () => (await verifier.verify(secret)).ok, { timeout: 10_000, interval: 10 }).toBe(false);
      expect(await verifier.verify(secret)).toMatchObject({ ok: false, reason: "revoked" });
    } finally {
      redis.disconnect();
      subscriber.disconnect();
    }
  });

  it("refuses to revoke without REDIS_URL, before changing anything", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "NoRedis", "--slug", name]);
    const { id } = JSON.parse((await aiaas(["keys", "create", "--tenant", name, "--json"])).stdout) as { id: string };
    const result = await aiaas(["keys", "revoke", id, "--tenant", name], { REDIS_URL: undefined });
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(/^aiaas: REDIS_URL is not set/) as unknown });
    expect((await db.apiKey.findUniqueOrThrow({ where: { id } })).revokedAt).toBeNull();
  });

  it("audit verify passes an intact chain and names the row whose bytes changed", async () => {
    const name = slug();
    const created = await aiaas(["tenants", "create", "--name", "Audit", "--slug", name, "--json"]);
    const { id } = JSON.parse(created.stdout) as { id: string };
    await aiaas(["tenants", "suspend", name]);
    await aiaas(["tenants", "resume", name]);
    expect(await aiaas(["audit", "verify", "--tenant", name])).toMatchObject({
      code: 0,
      stdout:
        `Audit chain of tenant ${name} is intact: 3 events verified.\n` +
        "AUDIT_SIGNING_KEY is not set: the chain was not checked against signed checkpoints, so a rewrite with recomputed hashes, or a cut-off tail, would pass.\n",
    });

    await owner.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRaw`UPDATE audit_events SET ip = '10.0.0.1' WHERE tenant_id = ${id} AND seq = 2`;
    });
    const broken = await aiaas(["audit", "verify", "--tenant", name]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      new RegExp(`^Audit chain of tenant ${name} is BROKEN at event #2 \\(evt_\\w+, tenant\\.suspend, `),
    );
  });

  it("audit verify catches, through signed checkpoints, a rewrite with every hash recomputed and a cut-off tail", async () => {
    const dir = mkdtempSync(join(tmpdir(), "aiaas-checkpoints-"));
    const key = randomBytes(32).toString("base64");
    const checkpointer = new AuditCheckpointer(
      db,
      new CheckpointDirectory(dir),
      auditSigningKeys(key).privateKey,
      "cli-test",
      { info: () => {}, error: () => {} },
    );
    const withCheckpoints = { AUDIT_SIGNING_KEY: key, AUDIT_CHECKPOINT_DIR: dir };
    // The events are made here, not through the CLI: the test is of `audit verify` (each CLI run costs seconds).
    const [first, second] = [await createTestTenant(db, "cli"), await createTestTenant(db, "cli")];
    const [rewritten, cut] = [first.slug, second.slug];
    const ids: Record<string, string> = { [rewritten]: first.id, [cut]: second.id };
    await checkpointer.checkpoint(); // event #1 of each
    for (const tenant of [rewritten, cut]) {
      for (const status of ["suspended", "active"] as const)
        await db.$transaction((tx) => setTenantStatus({ tenant, status }, testContext, tx));
    }
    await checkpointer.checkpoint(); // event #3 of each
    const intact = await aiaas(["audit", "verify", "--tenant", rewritten], withCheckpoints);
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.stdout).toMatch(/ is intact: 3 events verified\.\n2 signed checkpoints agree\.\n$/);

    // Someone with the database's credentials rewrites event #2 and recomputes every hash after it.
    const tenantId = ids[rewritten] ?? "";
    await owner.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      let prevHash = "";
      for (const event of await tx.auditEvent.findMany({ where: { chain: tenantId }, orderBy: { seq: "asc" } })) {
        const { id, hash, prevHash: _stored, ...fields } = event;
        if (event.seq === 1) {
          prevHash = hash;
          continue;
        }
        const changed = { ...fields, ip: event.seq === 2 ? "198.51.100.7" : fields.ip };
        const newHash = auditEventHash(prevHash, changed);
        await tx.$executeRaw`UPDATE audit_events SET ip = ${changed.ip}, prev_hash = ${prevHash}, hash = ${newHash} WHERE id = ${id}`;
        prevHash = newHash;
      }
    });
    const caught = await aiaas(["audit", "verify", "--tenant", rewritten], withCheckpoints);
    expect(caught.code).toBe(1);
    const [chainLine, checkpointLine] = caught.stdout.trim().split("\n");
    expect(chainLine).toBe(`Audit chain of tenant ${rewritten} is intact: 3 events verified.`);
    expect(checkpointLine).toMatch(
      new RegExp(
        `^CHECKPOINTS DISAGREE: event #3 of chain ${tenantId} is not the one signed at \\S+: the log was rewritten at or before it\\. Event #1 still agrees with the checkpoint of \\S+: the change lies after it\\.$`,
      ),
    );

    // Someone deletes the last two events: the chain that is left verifies, the checkpoint does not.
    await owner.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL session_replication_role = replica");
      await tx.$executeRaw`DELETE FROM audit_events WHERE chain = ${ids[cut] ?? ""} AND seq > 1`;
    });
    const cutOff = await aiaas(["audit", "verify", "--tenant", cut], withCheckpoints);
    expect(cutOff.code).toBe(1);
    expect(cutOff.stdout).toMatch(
      /is intact: 1 events verified\.\nCHECKPOINTS DISAGREE: event #3 of chain \S+, signed at \S+, is gone: the log was cut off from there\./,
    );
    // A forged line in the directory vouches for nothing, and says so.
    appendFileSync(
      join(dir, "forged.jsonl"),
      `${JSON.stringify({ at: "x", writer: "x", heads: [], signature: "AAAA" })}\nnot json\n`,
    );
    expect((await aiaas(["audit", "verify", "--tenant", cut], withCheckpoints)).stdout).toContain(
      "2 checkpoint line(s) are unreadable or not signed by this key and vouch for nothing.",
    );
  });

  it("audit verify --accounts walks every chain of people's sign-ins", async () => {
    const result = await aiaas(["audit", "verify", "--accounts", "--json"]);
    expect(result.code).toBe(0);
    const { chains } = JSON.parse(result.stdout) as { chains: { chain: string; broken: unknown }[] };
    expect(chains.map(({ chain }) => chain)).toEqual(Array.from({ length: 16 }, (_, i) => `accounts:${i}`));
    expect(chains.every(({ broken }) => broken === null)).toBe(true);
  });

  it("keys rotate-master re-wraps data keys with the new master key, says which is current, and re-wraps none the second time", async () => {
    const [oldKey, newKey] = [masterKey("old"), masterKey("new")];
    const name = slug();
    const { id } = JSON.parse(
      (await aiaas(["tenants", "create", "--name", "Rotate", "--slug", name, "--json"])).stdout,
    ) as {
      id: string;
    };
    const sealed = await new TenantKeyring(db, parseMasterKeys(oldKey.entry)).seal(id, Buffer.from("kept"), "c");

    const MASTER_KEYS = `${newKey.entry},${oldKey.entry}`;
    const rotated = await aiaas(["keys", "rotate-master"], { MASTER_KEYS });
    expect(rotated.code).toBe(0);
    const lines = rotated.stdout.split("\n");
    expect(lines[0]).toBe(`Re-wrapped 1 data key (${oldKey.id}: 1); ${newKey.id} is now the current master key.`);
    expect(lines).toContain(
      `Once every gateway and worker runs with MASTER_KEYS starting with ${newKey.id}, you may remove ${oldKey.id} from MASTER_KEYS.`,
    );
    const opened = await new TenantKeyring(db, parseMasterKeys(newKey.entry)).open(id, sealed, "c");
    expect(opened.toString()).toBe("kept");

    const again = await aiaas(["keys", "rotate-master", "--json"], { MASTER_KEYS });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ currentMasterKeyId: newKey.id, rewrappedTotal: 0, failed: [] });
    const events = await db.auditEvent.findMany({
      where: { chain: "platform", action: "crypto.master_key.rotate", targetId: newKey.id },
    });
    expect(events.map((event) => event.actorType)).toEqual(["operator", "operator"]);
  });

  it("keys rotate-data replaces a tenant's data key, audited; the old one keeps opening what it sealed", async () => {
    const key = masterKey("data");
    const name = slug();
    const { id } = JSON.parse(
      (await aiaas(["tenants", "create", "--name", "Rotate data", "--slug", name, "--json"])).stdout,
    ) as { id: string };
    const none = await aiaas(["keys", "rotate-data", "--tenant", name], { MASTER_KEYS: key.entry });
    expect(none.stdout).toBe(`Tenant ${name} has no data key yet: its first request makes one.\n`);
    const sealed = await new TenantKeyring(db, parseMasterKeys(key.entry)).seal(id, Buffer.from("kept"), "c");

    const rotated = await aiaas(["keys", "rotate-data", "--tenant", name, "--json"], { MASTER_KEYS: key.entry });
    expect(rotated.code).toBe(0);
    const { retired, active } = JSON.parse(rotated.stdout) as { retired: string; active: string };
    const keys = await db.tenantDataKey.findMany({ where: { tenantId: id }, select: { id: true, active: true } });
    expect(keys).toEqual(
      expect.arrayContaining([
        { id: retired, active: false },
        { id: active, active: true },
      ]),
    );
    const keyring = new TenantKeyring(db, parseMasterKeys(key.entry));
    expect((await keyring.open(id, sealed, "c")).toString()).toBe("kept");
    const event = await db.auditEvent.findFirstOrThrow({ where: { tenantId: id, action: "crypto.data_key.rotate" } });
    expect(event).toMatchObject({ actorType: "operator", targetId: active, metadata: { retired, reason: "forced" } });
  });

  it("migrate --check names what is pending (exit 1), and with --wait starts once another process migrated", async () => {
    await withTemporaryDatabase(async (databaseUrl) => {
      const before = await aiaas(["migrate", "--check"], { DATABASE_URL: databaseUrl });
      expect(before.code).toBe(1);
      expect(before.stderr).toMatch(/migration\(s\) not applied yet: 20261128162250_init, /);
      const waiting = aiaas(["migrate", "--check", "--wait", "120"], { DATABASE_URL: databaseUrl });
      expect((await aiaas(["migrate"], { DATABASE_URL: databaseUrl })).code).toBe(0);
      expect(await waiting).toMatchObject({ code: 0, stdout: "Every migration is applied.\n" });
      expect(await aiaas(["migrate", "--wait", "5"], { DATABASE_URL: databaseUrl })).toMatchObject({ code: 2 });
    });
  });

  it("keys verify-master opens one data key per master key, and names a key with another secret or one missing", async () => {
    await withTemporaryDatabase(async (databaseUrl) => {
      expect((await aiaas(["migrate"], { DATABASE_URL: databaseUrl })).code).toBe(0);
      const [kept, other] = [masterKey("kept"), masterKey("other")];
      const tmp = createPrismaClient({ databaseUrl, maxConnections: 1 });
      try {
        for (const entry of [kept.entry, kept.entry, other.entry]) {
          const tenant = await createTestTenant(tmp, "vm");
          await new TenantKeyring(tmp, parseMasterKeys(entry)).activeKey(tenant.id);
        }
      } finally {
        await tmp.$disconnect();
      }
      const verify = (MASTER_KEYS: string) =>
        aiaas(["keys", "verify-master"], { DATABASE_URL: databaseUrl, MASTER_KEYS });
      expect(await verify(`${kept.entry},${other.entry}`)).toMatchObject({
        code: 0,
        stdout: `MASTER_KEYS opens every stored data key (${kept.id}, ${other.id}).\n`,
      });
      const replaced = await verify(`${kept.id}:${randomBytes(32).toString("base64")},${other.entry}`);
      expect(replaced.code).toBe(1);
      expect(replaced.stderr).toMatch(
        new RegExp(
          `^aiaas: MASTER_KEYS does not open this database's data: master key '${kept.id}' \\(2 tenant data keys\\) has the id of the key that wrapped them but another secret`,
        ),
      );
      const missing = await verify(kept.entry);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(
        new RegExp(
          `MASTER_KEYS lacks master keys that wrapped stored data keys: '${other.id}' \\(1 tenant data key\\)`,
        ),
      );
    });
  });

  it("refuses to rotate without MASTER_KEYS, in one line", async () => {
    const result = await aiaas(["keys", "rotate-master"]);
    expect(result).toMatchObject({
      code: 2,
      stderr:
        "aiaas: MASTER_KEYS is not set: it is needed to wrap data keys (use the value the gateways and workers run with, new key first)\n",
    });
  });

  it("tenants delete needs --yes, then destroys the data keys, deletes the tenant and tells the gateways", async () => {
    const redis = createRedis(testRedisUrl(), "producer", "cli-test-delete");
    const subscriber = createRedis(testRedisUrl(), "consumer", "cli-test-delete-sub");
    await Promise.all([redis.connect(), subscriber.connect()]);
    const verifier = new ApiKeyVerifier({ db, redis, subscriber, pepper: testPepper });
    await verifier.start();
    try {
      const name = slug();
      const { id } = JSON.parse(
        (await aiaas(["tenants", "create", "--name", "Delete", "--slug", name, "--json"])).stdout,
      ) as { id: string };
      const { secret } = JSON.parse((await aiaas(["keys", "create", "--tenant", name, "--json"])).stdout) as {
        secret: string;
      };
      const masterKeys = parseMasterKeys(masterKey("del").entry);
      const sealed = await new TenantKeyring(db, masterKeys).seal(id, Buffer.from("gone soon"), "c");
      expect((await verifier.verify(secret)).ok).toBe(true);

      const refused = await aiaas(["tenants", "delete", name]);
      expect(refused).toMatchObject({
        code: 2,
        stderr: expect.stringMatching(
          new RegExp(`^aiaas: refusing to delete tenant "${name}" without --yes: `),
        ) as unknown,
      });
      expect(await db.tenant.count({ where: { id } })).toBe(1);

      const deleted = await aiaas(["tenants", "delete", name, "--yes", "--reason", "closed account"]);
      expect(deleted).toMatchObject({ code: 0, stdout: `Deleted tenant ${name} (${id}); destroyed 1 data key.\n` });
      await expect.poll(async () => (await verifier.verify(secret)).ok, { timeout: 1000, interval: 10 }).toBe(false);
      await expect(new TenantKeyring(db, masterKeys).open(id, sealed, "c")).rejects.toThrow(
        "This organization was deleted while the request ran: its data keys are destroyed.",
      );
      expect(await db.tenant.count({ where: { id } })).toBe(0);
      expect(await db.tenantDataKey.count({ where: { tenantId: id } })).toBe(0);
      const event = await db.auditEvent.findFirstOrThrow({ where: { action: "tenant.delete", targetId: id } });
      expect(event).toMatchObject({ chain: "platform", actorType: "operator", metadata: { reason: "closed account" } });
      expect(await aiaas(["tenants", "delete", name, "--yes"])).toMatchObject({
        code: 1,
        stderr: `aiaas: tenant "${name}" not found\n`,
      });
    } finally {
      redis.disconnect();
      subscriber.disconnect();
    }
  });

  it.each([
    [["tenants", "create", "--name", "Bad", "--slug", "Bad Slug"], 2, /^aiaas: slug: slug must be 3-40 characters/],
    [["keys", "list", "--tenant", "no-such-tenant"], 1, /^aiaas: tenant "no-such-tenant" not found\n$/],
    [
      ["keys", "create", "--tenant", "no-such-tenant", "--scopes", "root"],
      1,
      /^aiaas: tenant "no-such-tenant" not found/,
    ],
    [["keys", "create", "--tenant", "x", "--expires", "soon"], 2, /^aiaas: --expires: "soon" is not a date/],
    [["tenants", "frobnicate"], 1, /unknown command 'frobnicate'/],
  ])("explains %j clearly (exit %i)", async (args, code, message) => {
    const result = await aiaas(args);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });

  it("names a bad scope", async () => {
    const name = slug();
    await aiaas(["tenants", "create", "--name", "Scopes", "--slug", name]);
    const result = await aiaas(["keys", "create", "--tenant", name, "--scopes", "root"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^aiaas: scopes\.0: Invalid option: expected one of "models:read"\|/);
  });

  it("refuses to run without a valid DATABASE_URL, in one line", async () => {
    const result = await aiaas(["tenants", "list"], { DATABASE_URL: "mysql://nope" });
    expect(result).toMatchObject({
      code: 1,
      stderr: "[aiaas] invalid environment: DATABASE_URL: expected a postgresql:// URL\n",
    });
  });

  it.each([
    [
      ["tenants", "list"],
      "postgresql://postgres@127.0.0.1:1/none",
      "the database at 127.0.0.1:1: cannot reach the server",
    ],
    [
      ["migrate"],
      "postgresql://postgres@127.0.0.1:1/none",
      "the database at 127.0.0.1:1: cannot reach the server (ECONNREFUSED)",
    ],
  ])("says when the database cannot be reached (%j)", async (args, databaseUrl, message) => {
    const result = await aiaas(args, { DATABASE_URL: databaseUrl });
    expect(result).toMatchObject({ code: 1, stderr: `aiaas: ${message}\n` });
  });

  it("lists workers: live ones from their heartbeat in Redis, stopped ones from the table", async () => {
    const prefix = `cli${randomBytes(4).toString("hex")}`;
    const redis = createRedis(testRedisUrl(), "client", "cli-test");
    const live = `live-${randomBytes(3).toString("hex")}`;
    const gone = `gone-${randomBytes(3).toString("hex")}`;
    const now = new Date();
    const fields = {
      hostname: "gpu-7",
      pid: 42,
      version: "0.0.0",
      provider: "cuda",
      providerNote: "CUDA",
      concurrency: 32,
    };
    await publishWorkerStatus(
      redis,
      prefix,
      {
        id: live,
        ...fields,
        models: ["kjv-gpt-mini"],
        inFlight: 3,
        jobsDone: 10,
        jobsFailed: 1,
        startedAt: now.toISOString(),
        lastSeenAt: now.toISOString(),
      },
      30,
    );
    await db.workerHeartbeat.create({
      data: {
        id: gone,
        ...fields,
        models: ["paddleocr-v4"],
        jobsDone: 5,
        startedAt: now,
        lastSeenAt: now,
        stoppedAt: now,
      },
    });
    redis.disconnect();
    const result = await aiaas(["workers", "list", "--prefix", prefix, "--json"]);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as {
      id: string;
      state: string;
      models: string[];
      inFlight: number;
      jobsDone: number;
    }[];
    expect(rows.find((row) => row.id === live)).toMatchObject({
      state: "live",
      models: ["kjv-gpt-mini"],
      inFlight: 3,
      jobsDone: 10,
    });
    expect(rows.find((row) => row.id === gone)).toMatchObject({
      state: "stopped",
      models: ["paddleocr-v4"],
      jobsDone: 5,
    });
  });

  it("lists the shipped models with the versions their names point at, and pulls fail at once, saying why, where no hub is reachable", async () => {
    const listed = await aiaas(["models", "list", "--json"]);
    const models = JSON.parse(listed.stdout) as { id: string; task: string; status: string; names: string }[];
    const shipped = ["echo", "kjv-embed-mini", "kjv-gpt-mini", "paddleocr-v4"];
    expect(
      models.filter((model) => shipped.includes(model.id)).map((model) => [model.id, model.task, model.status]),
    ).toEqual([
      ["echo", "echo", "active"],
      ["kjv-embed-mini", "embedding", "active"],
      ["kjv-gpt-mini", "chat", "active"],
      ["paddleocr-v4", "ocr", "active"],
    ]);
    // The seed recorded each shipped folder as the version its id answers with, and the int8 variants under their alias.
    const names = Object.fromEntries(models.map((model) => [model.id, model.names]));
    expect(names["paddleocr-v4"]).toMatch(/^paddleocr-v4 → sha-[0-9a-f]{12}$/);
    expect(names["kjv-gpt-mini"]).toMatch(/^kjv-gpt-mini → sha-[0-9a-f]{12}, kjv-gpt-mini:int8 → int8-[0-9a-f]{12}$/);
    expect(names["kjv-embed-mini"]).toMatch(
      /^kjv-embed-mini → sha-[0-9a-f]{12}, kjv-embed-mini:int8 → int8-[0-9a-f]{12}$/,
    );
    const missing = await aiaas(["models", "show", "no-such-model"]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: 'aiaas: no model "no-such-model" in the catalogue (models list shows them)\n',
    });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const offline = await aiaas(["models", "pull", "Xenova/all-MiniLM-L6-v2"], {
      HF_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    expect(offline).toMatchObject({
      code: 1,
      stderr: `aiaas: cannot reach 127.0.0.1:${port} (ECONNREFUSED). This machine may have no route to the model hub: set HF_ENDPOINT to a mirror it can reach, or pull from a folder on this machine (models pull ./folder).\n`,
    });
    const blocked = await aiaas(["models", "pull", "acme/x"], { HF_ENDPOINT: "http://127.0.0.1:1" });
    expect(blocked).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/^aiaas: cannot fetch from 127.0.0.1:1 \(bad port\)\./) as unknown,
    });
    const badId = await aiaas(["models", "pull", "not/a/model"]);
    expect(badId).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^aiaas: "not\/a\/model" is not a hub model id/) as unknown,
    });
    const badTask = await aiaas(["models", "pull", "acme/x", "--task", "painting"]);
    expect(badTask).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/^aiaas: --task: "painting" is not one of chat, completion/) as unknown,
    });
  });
});
