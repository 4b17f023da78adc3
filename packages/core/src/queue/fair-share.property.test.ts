import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { propertyRuns } from "../testing/property-runs.ts";
import { FairShare } from "./fair-share.ts";

const MAX_PRIORITY = 2 ** 21 - 1;

describe("fair share against its model", () => {
  it("gives each job its tenant's count of jobs in flight on that model (capped at BullMQ's largest priority)", () => {
    const step = fc.record({
      enter: fc.boolean(),
      model: fc.constantFrom("kjv-gpt-mini", "echo"),
      tenant: fc.constantFrom("ten_a", "ten_b", "ten_c"),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const fairShare = new FairShare();
        const inFlight = new Map<string, number>();
        for (const { enter, model, tenant } of steps) {
          const key = `${model}/${tenant}`;
          const count = inFlight.get(key) ?? 0;
          // A job leaves only after it entered: the pipeline counts out what it counted in.
          if (enter) {
            inFlight.set(key, count + 1);
            expect(fairShare.enter(model, tenant)).toBe(Math.min(MAX_PRIORITY, count + 1));
          } else if (count > 0) {
            inFlight.set(key, count - 1);
            fairShare.leave(model, tenant);
          }
        }
        // What is left counts from where the model says: the next job's priority.
        for (const [key, count] of inFlight) {
          const [model = "", tenant = ""] = key.split("/");
          expect(fairShare.enter(model, tenant)).toBe(count + 1);
        }
      }),
      { numRuns: propertyRuns(200) },
    );
  });
});
