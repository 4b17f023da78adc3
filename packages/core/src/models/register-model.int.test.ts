import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testContext, testDb } from "../testing/fixtures.ts";
import { folderDigest, registerModel, type ModelRegistration } from "./register-model.ts";
import { setModelStatus } from "./set-model-status.ts";

const db = testDb();
const digest = (seed: string) => folderDigest([{ path: seed, sha256: "0".repeat(64) }]);

function registration(slug: string, files: ModelRegistration["files"], extra: Partial<ModelRegistration> = {}) {
  return {
    slug,
    task: "chat",
    displayName: slug,
    ownedBy: "acme",
    contextLength: 256,
    source: "file:/models/x",
    files,
    manifest: { id: slug },
    price: { inputMicrosPer1k: 5n, outputMicrosPer1k: 7n, imageMicros: 0n },
    ...extra,
  } satisfies ModelRegistration;
}

const files = (graph: string) => [
  { path: "config.json", sha256: "a".repeat(64), size: 10 },
  { path: "onnx/model.onnx", sha256: graph.repeat(64), size: 100 },
];
const register = (input: ModelRegistration) => db.$transaction((tx) => registerModel(input, testContext, tx));

describe("registerModel", () => {
  it("records a new model, priced, with its first version current, and audits it", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const first = await register(registration(slug, files("b")));
    expect(first).toMatchObject({
      slug,
      outcome: "new-model",
      current: true,
      version: `sha-${first.sha256.slice(0, 12)}`,
    });
    const model = await db.model.findUniqueOrThrow({ where: { slug }, include: { prices: true, versions: true } });
    expect(model).toMatchObject({ task: "chat", ownedBy: "acme", status: "active", contextLength: 256 });
    expect(model.prices).toMatchObject([{ inputMicrosPer1k: 5n, outputMicrosPer1k: 7n }]);
    expect(model.versions).toMatchObject([{ isCurrent: true, sha256: first.sha256, source: "file:/models/x" }]);
    expect(await db.auditEvent.count({ where: { action: "model.register", targetId: first.versionId } })).toBe(1);
  });

  it("takes the same files again as nothing new, other files as a version that is not current yet", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const first = await register(registration(slug, files("b")));
    expect(await register(registration(slug, [...files("b")].reverse()))).toMatchObject({
      outcome: "unchanged",
      versionId: first.versionId,
    });
    const second = await register(registration(slug, files("c"), { version: "int8" }));
    expect(second).toMatchObject({ outcome: "new-version", current: false, version: "int8" });
    await expect(register(registration(slug, files("d"), { version: "int8" }))).rejects.toThrow(
      `${slug} already has a version "int8" with other files: name this one (--version).`,
    );
    await expect(register(registration(slug, files("e"), { task: "embedding" }))).rejects.toThrow(
      `${slug} is registered for chat; this folder's task is embedding: give it another id (--id).`,
    );
    expect(await db.modelVersion.count({ where: { model: { slug } } })).toBe(2);
  });

  it("digests a folder by its files, whatever their order", () => {
    expect(digest("a")).not.toBe(digest("b"));
    expect(folderDigest(files("b"))).toBe(folderDigest([...files("b")].reverse()));
  });

  it("retires a model and restores it, audited", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    await register(registration(slug, files("b")));
    const status = (input: { slug: string; status: "active" | "disabled" }) =>
      db.$transaction((tx) => setModelStatus(input, testContext, tx));
    expect(await status({ slug, status: "disabled" })).toEqual({ changed: true });
    expect(await status({ slug, status: "disabled" })).toEqual({ changed: false });
    expect((await db.model.findUniqueOrThrow({ where: { slug } })).status).toBe("disabled");
    expect(await status({ slug, status: "active" })).toEqual({ changed: true });
    await expect(status({ slug: "no-such-model", status: "disabled" })).rejects.toThrow(/no-such-model/);
    expect(
      await db.auditEvent.count({
        where: { action: { in: ["model.retire", "model.restore"] }, metadata: { path: ["model"], equals: slug } },
      }),
    ).toBe(2);
  });
});
