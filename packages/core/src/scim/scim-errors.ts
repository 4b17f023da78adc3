/** A SCIM error (RFC 7644 §3.12), answered with its status in SCIM's shape. */
export class ScimError extends Error {
  override name = "ScimError";
  constructor(
    readonly status: number,
    message: string,
    readonly scimType?: "invalidFilter" | "uniqueness" | "invalidValue" | "invalidSyntax" | "noTarget" | "mutability",
  ) {
    super(message);
  }
}

export const scimErrorBody = (error: ScimError) => ({
  schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
  status: String(error.status),
  ...(error.scimType && { scimType: error.scimType }),
  detail: error.message,
});
