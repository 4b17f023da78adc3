import { describe, expect, it } from "vitest";
import { DomainError } from "@aiaas/core/platform";
import { unrecoverable } from "@aiaas/core/queue";
import { jobError } from "./job-errors.ts";

describe("jobError", () => {
  it("keeps a refusal met on the way (a tenant deleted while its answer streamed) a 403, never a 500", () => {
    const deleted = new DomainError("forbidden", "This organization was deleted while the request ran.");
    const { error, status } = jobError(deleted, 60_000);
    expect(status).toBe("failed");
    expect(error.status).toBe(403);
    expect(error.body).toMatchObject({ error: { code: "forbidden", message: deleted.message } });
  });

  it("answers a job the worker refused for a deleted tenant 403, and an unknown failure 500 without its details", () => {
    expect(jobError(unrecoverable("tenant_deleted", "gone"), 60_000).error.status).toBe(403);
    const unknown = jobError(new Error("something of ours broke"), 60_000).error;
    expect(unknown.status).toBe(500);
    expect(JSON.stringify(unknown.body)).not.toContain("something of ours broke");
  });
});
