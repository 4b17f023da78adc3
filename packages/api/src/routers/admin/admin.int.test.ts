import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiKeyVerifier } from "@aiaas/core/keys";
import { newId } from "@aiaas/core/platform";
import { publishWorkerStatus } from "@aiaas/core/queue";
import { registerModel } from "@aiaas/core/models";
import { startTestVerifier, testContext, testDb } from "@aiaas/core/testing";
import type { Redis } from "ioredis";
import { callerFor } from "../../testing/api-caller.ts";

const db = testDb();
let verifier: ApiKeyVerifier;
let redis: Redis;
let close: () => void;
beforeAll(async () => {
  ({ verifier, redis, close } = await startTestVerifier("admin-test"));
});
afterAll(async () => {
  close();
  await db.$disconnect();
});

describe("operator area", () => {
  it("suspends a person: signed out everywhere, playground keys refused at once, audited; resuming lets them back", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Suspects" });
    const member = await callerFor(redis, { tenantId: tenant.id, role: "developer" });
    const playground = await member.caller.playground.sessionKey();
    const backend = await owner.apiKeys.create({ name: "backend" });
    expect(await verifier.verify(playground.secret)).toMatchObject({ ok: true });
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });

    await operator.admin.setUserStatus({ userId: member.user.id, status: "suspended", reason: "phishing" });
    expect(await db.session.count({ where: { userId: member.user.id } })).toBe(0);
    expect(await db.user.findUniqueOrThrow({ where: { id: member.user.id } })).toMatchObject({ banned: true });
    await expect.poll(async () => (await verifier.verify(playground.secret)).ok).toBe(false);
    // The organisation and its own keys carry on.
    expect(await verifier.verify(backend.secret)).toMatchObject({ ok: true });
    const [listed] = (await operator.admin.tenant({ tenantId: tenant.id })).members.filter(
      (one) => one.userId === member.user.id,
    );
    expect(listed).toMatchObject({ suspended: true });
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: "user.suspend", targetId: member.user.id } });
    expect(event).toMatchObject({ chain: "platform", actorType: "operator", metadata: { reason: "phishing" } });

    await operator.admin.setUserStatus({ userId: member.user.id, status: "active" });
    expect(await db.user.findUniqueOrThrow({ where: { id: member.user.id } })).toMatchObject({ banned: false });
    await expect(operator.admin.setUserStatus({ userId: "usr_missing", status: "suspended" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("audits an operator's look at a tenant on that tenant's chain, once a minute, and the list on the platform's", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Watched" });
    const { caller: operator, user } = await callerFor(redis, { platformRole: "operator" });
    const looks = () =>
      db.auditEvent.findMany({
        where: { action: "operator.viewed", actorId: user.id },
        select: { chain: true, tenantId: true, targetId: true, actorType: true },
      });

    await operator.admin.tenant({ tenantId: tenant.id });
    await operator.admin.tenant({ tenantId: tenant.id });
    await operator.admin.tenants({});
    await expect(operator.admin.tenant({ tenantId: "ten_missing" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await looks()).toEqual(
      expect.arrayContaining([
        { chain: tenant.id, tenantId: tenant.id, targetId: "admin.tenant", actorType: "operator" },
        { chain: "platform", tenantId: null, targetId: "admin.tenants", actorType: "operator" },
      ]),
    );
    expect(await looks()).toHaveLength(2);
    // The tenant's owners read it in their own log.
    const { events } = await owner.audit.list({});
    expect(events.some((event) => event.action === "operator.viewed")).toBe(true);
  });

  it("shows the model catalogue with versions and digests, and retires and restores a model, audited", async () => {
    const slug = `admin-model-${randomBytes(3).toString("hex")}`;
    await db.$transaction((tx) =>
      registerModel(
        {
          slug,
          task: "embedding",
          displayName: slug,
          ownedBy: "acme",
          contextLength: 64,
          source: "file:/models/x",
          files: [{ path: "onnx/model.onnx", sha256: "b".repeat(64), size: 1000 }],
          manifest: { id: slug },
          price: { inputMicrosPer1k: 1n, outputMicrosPer1k: 0n, imageMicros: 0n },
        },
        testContext,
        tx,
      ),
    );
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    const listed = (await operator.admin.models()).find((model) => model.slug === slug);
    expect(listed).toMatchObject({
      task: "embedding",
      status: "active",
      versions: [
        {
          aliases: [slug],
          status: "active",
          source: "file:/models/x",
          files: [{ path: "onnx/model.onnx", sha256: "b".repeat(64) }],
        },
      ],
    });
    expect(await operator.admin.setModelStatus({ model: slug, status: "disabled" })).toEqual({ changed: true });
    expect((await operator.admin.models()).find((model) => model.slug === slug)?.status).toBe("disabled");
    expect(await operator.admin.setModelStatus({ model: slug, status: "active" })).toEqual({ changed: true });
    expect(
      await db.auditEvent.count({
        where: { action: { in: ["model.retire", "model.restore"] }, actorType: "operator" },
      }),
    ).toBeGreaterThanOrEqual(2);
    const { caller: customer } = await callerFor(redis);
    await expect(customer.admin.setModelStatus({ model: slug, status: "disabled" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("is closed to an operator who has not set up two-factor sign-in", async () => {
    const { caller } = await callerFor(redis, { platformRole: "operator", twoFactorEnabled: false });
    await expect(caller.admin.tenants({})).rejects.toMatchObject({
      code: "FORBIDDEN",
      message: "Operators must use two-factor sign-in: set it up at /two-factor first.",
    });
  });

  it("finds tenants, shows one, and suspends it: its keys stop at once, audited as an operator action", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Suspicious Ltd" });
    const key = await owner.apiKeys.create({ name: "k" });
    expect((await verifier.verify(key.secret)).ok).toBe(true);

    const { caller: operator, user } = await callerFor(redis, { platformRole: "operator" });
    const found = await operator.admin.tenants({ search: "SUSPICIOUS" });
    expect(found.tenants.map((row) => row.id)).toContain(tenant.id);
    expect(await operator.admin.tenant({ tenantId: tenant.id })).toMatchObject({
      name: "Suspicious Ltd",
      members: [{ role: "owner" }],
      keys: [{ id: key.id, status: "active" }],
    });

    await operator.admin.setStatus({ tenantId: tenant.id, status: "suspended", reason: "abuse report" });
    await expect.poll(async () => (await verifier.verify(key.secret)).ok, { timeout: 1000 }).toBe(false);
    expect(await verifier.verify(key.secret)).toMatchObject({ reason: "tenant_suspended" });
    const event = await db.auditEvent.findFirstOrThrow({ where: { chain: tenant.id, action: "tenant.suspend" } });
    expect(event).toMatchObject({ actorType: "operator", actorId: user.id, metadata: { reason: "abuse report" } });

    await operator.admin.setStatus({ tenantId: tenant.id, status: "active" });
    await expect.poll(async () => (await verifier.verify(key.secret)).ok, { timeout: 1000 }).toBe(true);
  });

  it("pages through tenants newest first, searching in the database by name or slug", async () => {
    const tag = `paged${randomBytes(3).toString("hex")}`;
    const made: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { caller } = await callerFor(redis);
      made.push((await caller.tenant.create({ name: `${tag} ${i}` })).id);
    }
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    const first = await operator.admin.tenants({ search: tag, limit: 2 });
    const second = await operator.admin.tenants({ search: tag, limit: 2, cursor: first.nextCursor });
    const last = await operator.admin.tenants({ search: tag, limit: 2, cursor: second.nextCursor });
    const seen = [first, second, last].flatMap((page) => page.tenants.map((tenant) => tenant.id));
    expect(seen).toEqual([...made].reverse());
    expect(last.nextCursor).toBeNull();
    expect((await operator.admin.tenants({ search: `${tag} 3` })).tenants.map((tenant) => tenant.id)).toEqual([
      made[3],
    ]);
  });

  it("grants a tenant the restricted echo model and takes it back, each change audited once", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Load Testers" });
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    const echo = async () =>
      (await operator.admin.tenant({ tenantId: tenant.id })).models.find((m) => m.slug === "echo");
    expect(await echo()).toMatchObject({ task: "echo", enabled: false });
    expect((await owner.models.available()).map((model) => model.slug)).not.toContain("echo");

    await operator.admin.setModelAccess({ tenantId: tenant.id, model: "echo", enabled: true });
    expect(await operator.admin.setModelAccess({ tenantId: tenant.id, model: "echo", enabled: true })).toMatchObject({
      changed: false,
    });
    expect(await echo()).toMatchObject({ enabled: true });
    expect((await owner.models.available()).map((model) => model.slug)).toContain("echo");
    await operator.admin.setModelAccess({ tenantId: tenant.id, model: "echo", enabled: false });
    expect(await echo()).toMatchObject({ enabled: false });

    const actions = await db.auditEvent.findMany({
      where: { chain: tenant.id, action: { startsWith: "model.access" } },
      orderBy: { seq: "asc" },
    });
    expect(actions.map((event) => [event.action, event.actorType, event.metadata])).toEqual([
      ["model.access.grant", "operator", { model: "echo" }],
      ["model.access.revoke", "operator", { model: "echo" }],
    ]);
    await expect(
      operator.admin.setModelAccess({ tenantId: tenant.id, model: "kjv-gpt-mini", enabled: true }),
    ).rejects.toThrow(/open to every tenant/);
    await expect(operator.admin.setModelAccess({ tenantId: tenant.id, model: "nope", enabled: true })).rejects.toThrow(
      /model "nope" not found/,
    );
  });

  it("lists the workers: live from their heartbeat, stopped from the table", async () => {
    const prefix = `adm${randomBytes(4).toString("hex")}`;
    const id = `w-${randomBytes(3).toString("hex")}`;
    const now = new Date().toISOString();
    await publishWorkerStatus(
      redis,
      prefix,
      {
        id,
        hostname: "gpu-1",
        pid: 7,
        version: "0.0.0",
        provider: "cuda",
        providerNote: "CUDA",
        models: ["kjv-gpt-mini"],
        concurrency: 32,
        inFlight: 2,
        jobsDone: 40,
        jobsFailed: 0,
        startedAt: now,
        lastSeenAt: now,
      },
      30,
    );
    const { caller: operator } = await callerFor(redis, { platformRole: "operator", queuePrefix: prefix });
    expect((await operator.admin.workers()).find((worker) => worker.id === id)).toMatchObject({
      state: "live",
      host: "gpu-1",
      provider: "cuda",
      models: ["kjv-gpt-mini"],
      inFlight: 2,
      jobsDone: 40,
    });
  });

  it("shows the usage records that could not be written, newest first, with their reason", async () => {
    const { caller: owner } = await callerFor(redis);
    const tenant = await owner.tenant.create({ name: "Dead Letters Ltd" });
    const requestId = `req_${randomBytes(8).toString("hex")}`;
    await db.usageDeadLetter.create({
      data: {
        id: newId("usageDeadLetter"),
        requestId,
        tenantId: tenant.id,
        reason: '23503: insert or update on table "requests" violates foreign key constraint',
        record: { requestId, costMicros: "1500", stored: null },
      },
    });
    const { caller: operator } = await callerFor(redis, { platformRole: "operator" });
    const { total, letters } = await operator.admin.usageDeadLetters();
    expect(total).toBeGreaterThanOrEqual(1);
    expect(letters.find((letter) => letter.requestId === requestId)).toMatchObject({
      tenantId: tenant.id,
      tenantName: "Dead Letters Ltd",
      costMicros: 1500n,
      reason: expect.stringMatching(/^23503: /) as unknown,
    });
  });

  it("is closed to everyone else", async () => {
    const { caller } = await callerFor(redis);
    await expect(caller.admin.tenants({})).rejects.toMatchObject({ code: "FORBIDDEN", message: "Operators only." });
    await expect(caller.admin.workers()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(caller.admin.usageDeadLetters()).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
