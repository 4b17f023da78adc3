import { scimPatch, type ScimPatchOperation, type ScimResource } from "scim-patch";
import { z } from "zod";
import { ScimError } from "./scim-errors.ts";

const patchBody = z.object({
  Operations: z
    .array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }))
    .min(1)
    .max(100),
});

/** Entra ID sends "False" and "True" for booleans. */
const booleanOf = (value: unknown) =>
  value === "False" || value === "false" ? false : value === "True" || value === "true" ? true : value;

/**
 * A SCIM PATCH applied to a resource (scim-patch), after evening out what
 * IdPs send: operation names in any case (Entra: "Replace"), booleans as
 * strings, and Okta's path-less `replace {active: false}`.
 */
export function applyPatch<T extends ScimResource>(resource: T, body: unknown): T {
  const parsed = patchBody.safeParse(body);
  if (!parsed.success) throw new ScimError(400, "A PATCH needs Operations: [{op, path?, value?}].", "invalidSyntax");
  const operations = parsed.data.Operations.map((operation) => {
    const op = operation.op.toLowerCase();
    let value = operation.value;
    if (operation.path === "active") value = booleanOf(value);
    if (!operation.path && value && typeof value === "object" && "active" in value) {
      value = { ...value, active: booleanOf(value.active) };
    }
    return { op, ...(operation.path && { path: operation.path }), value } as ScimPatchOperation;
  });
  try {
    return scimPatch(structuredClone(resource), operations, { mutateDocument: true, treatMissingAsAdd: true });
  } catch (error) {
    throw new ScimError(400, (error as Error).message, "invalidValue");
  }
}
