import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { testContext, testDb } from "../testing/fixtures.ts";
import { folderDigest, registerModel, type ModelRegistration } from "./register-model.ts";
import { promoteModelVersion, type LiveVersions } from "./promote-model-version.ts";
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
  it("records a new model, priced, its first version answering its id, and audits it", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const first = await register(registration(slug, files("b")));
    expect(first).toMatchObject({
      slug,
      outcome: "new-model",
      aliases: ["default"],
      version: `sha-${first.sha256.slice(0, 12)}`,
    });
    const model = await db.model.findUniqueOrThrow({
      where: { slug },
      include: { prices: true, versions: true, aliases: true },
    });
    expect(model).toMatchObject({ task: "chat", ownedBy: "acme", status: "active", contextLength: 256 });
    expect(model.prices).toMatchObject([{ inputMicrosPer1k: 5n, outputMicrosPer1k: 7n }]);
    expect(model.versions).toMatchObject([{ status: "active", sha256: first.sha256, source: "file:/models/x" }]);
    expect(model.aliases).toMatchObject([{ alias: "default", versionId: first.versionId }]);
    expect(await db.auditEvent.count({ where: { action: "model.register", targetId: first.versionId } })).toBe(1);
  });

  it("takes the same files again as nothing new, other files as a version no alias points at yet", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const first = await register(registration(slug, files("b")));
    expect(await register(registration(slug, [...files("b")].reverse()))).toMatchObject({
      outcome: "unchanged",
      versionId: first.versionId,
    });
    const second = await register(registration(slug, files("c"), { version: "int8" }));
    expect(second).toMatchObject({ outcome: "new-version", aliases: [], version: "int8" });
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

  it("gives a variant its own alias and price, and moves the aliases of a release to the next one only if not moved by hand", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const zoo = (graph: string, extra: Partial<ModelRegistration>) =>
      register(registration(slug, files(graph), { source: "zoo:test", followSource: true, ...extra }));
    const base = await zoo("b", {});
    const cheap = { inputMicrosPer1k: 1n, outputMicrosPer1k: 2n, imageMicros: 0n };
    const int8 = await zoo("c", { version: "int8-1", aliases: ["int8"], versionPrice: cheap });
    expect(int8).toMatchObject({ outcome: "new-version", aliases: ["int8"] });
    expect(await db.modelPrice.findMany({ where: { modelVersionId: int8.versionId } })).toMatchObject([cheap]);
    // The next release's files: the aliases follow them.
    const next = await zoo("d", {});
    expect(next).toMatchObject({ outcome: "new-version", aliases: ["default"] });
    // An operator points the id at a version of another source: the release after leaves it there.
    const pulled = await register(registration(slug, files("e"), { version: "pulled", aliases: [] }));
    await db.$transaction((tx) =>
      promoteModelVersion({ slug, version: "pulled", force: true }, noWorkers, testContext, tx),
    );
    expect(await zoo("f", {})).toMatchObject({ outcome: "new-version", aliases: [] });
    const aliases = await db.modelAlias.findMany({ where: { model: { slug } }, orderBy: { alias: "asc" } });
    expect(aliases.map((alias) => [alias.alias, alias.versionId])).toEqual([
      ["default", pulled.versionId],
      ["int8", int8.versionId],
    ]);
    expect(base.aliases).toEqual(["default"]);
  });

  it("promotes a version only once every live worker of the model holds it, audited with before and after", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    const first = await register(registration(slug, files("b"), { version: "v1" }));
    const second = await register(registration(slug, files("c"), { version: "v2" }));
    const holding =
      (...held: string[][]): LiveVersions =>
      () =>
        Promise.resolve(held.map((versions, index) => ({ workerId: `w${index}`, versions })));
    const promote = (version: string, live: LiveVersions, alias?: string) =>
      db.$transaction((tx) => promoteModelVersion({ slug, version, alias }, live, testContext, tx));
    await expect(promote("v2", noWorkers)).rejects.toThrow(`No live worker serves ${slug}`);
    await expect(promote("v2", holding([first.sha256, second.sha256], [first.sha256]))).rejects.toThrow(
      `w1 serve ${slug} without version v2`,
    );
    await expect(promote("v3", noWorkers)).rejects.toThrow(/version "v3"/);
    expect(await promote("v2", holding([first.sha256, second.sha256]))).toEqual({
      changed: true,
      name: slug,
      from: "v1",
      to: "v2",
    });
    expect(await promote("v2", noWorkers)).toMatchObject({ changed: false });
    // Rolling back is promoting the one before; an alias is made by promoting to it.
    expect(await promote("v1", holding([first.sha256]))).toMatchObject({ from: "v2", to: "v1" });
    expect(await promote("v2", holding([second.sha256]), "next")).toMatchObject({ name: `${slug}:next`, from: null });
    const events = await db.auditEvent.findMany({
      where: { action: "model.promote", metadata: { path: ["model"], equals: slug } },
      orderBy: { seq: "asc" },
    });
    expect(events.map((event) => event.metadata)).toMatchObject([
      { alias: "default", from: "v1", to: "v2" },
      { alias: "default", from: "v2", to: "v1" },
      { alias: "next", from: null, to: "v2" },
    ]);
  });

  it("retires a version no alias points at, and refuses one that answers a name", async () => {
    const slug = `reg-${randomBytes(3).toString("hex")}`;
    await register(registration(slug, files("b"), { version: "v1" }));
    await register(registration(slug, files("c"), { version: "v2" }));
    const status = (version: string, to: "active" | "disabled") =>
      db.$transaction((tx) => setModelStatus({ slug, version, status: to }, testContext, tx));
    await expect(status("v1", "disabled")).rejects.toThrow(
      `${slug} points at ${slug}@v1: promote another version first.`,
    );
    expect(await status("v2", "disabled")).toEqual({ changed: true });
    await expect(
      db.$transaction((tx) => promoteModelVersion({ slug, version: "v2", force: true }, noWorkers, testContext, tx)),
    ).rejects.toThrow(`${slug}@v2 is retired`);
    expect(await status("v2", "active")).toEqual({ changed: true });
  });
});

const noWorkers: LiveVersions = () => Promise.resolve([]);
