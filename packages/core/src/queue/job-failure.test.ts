import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { parseJobFailure, unrecoverable } from "./job-failure.ts";

describe("job failures", () => {
  it("round-trip their code through BullMQ's failed reason", () => {
    const error = unrecoverable("invalid_image", "The image could not be decoded: bad header.");
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect(parseJobFailure(error.message)).toEqual({
      code: "invalid_image",
      message: "The image could not be decoded: bad header.",
    });
  });

  it("call anything else internal", () => {
    expect(parseJobFailure("connect ECONNREFUSED 127.0.0.1:6379")).toEqual({
      code: "internal",
      message: "connect ECONNREFUSED 127.0.0.1:6379",
    });
    expect(parseJobFailure("timeout: made up")).toMatchObject({ code: "internal" });
    expect(parseJobFailure(undefined)).toEqual({ code: "internal", message: "the job failed" });
  });
});
