import { compileJsonSchema, UnsupportedSchemaError } from "@aiaas/json-grammar";
import { z } from "zod";

/** A JSON schema structured output can honour: what it cannot is named, with where it is. */
const compilableSchema = z.record(z.string(), z.unknown()).superRefine((schema, ctx) => {
  try {
    compileJsonSchema(schema);
  } catch (error) {
    if (!(error instanceof UnsupportedSchemaError)) throw error;
    ctx.addIssue({ code: "custom", message: error.message });
  }
});

/** Chat's `response_format`: text, any JSON object, or a JSON schema's document (constrained decoding). */
export const responseFormatField = z
  .discriminatedUnion(
    "type",
    [
      z.strictObject({ type: z.literal("text") }),
      z.strictObject({ type: z.literal("json_object") }),
      z.strictObject({
        type: z.literal("json_schema"),
        json_schema: z.strictObject({
          name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "a-z, A-Z, 0-9, underscores and dashes, at most 64"),
          description: z.string().optional(),
          schema: compilableSchema.optional(),
          strict: z.boolean().nullish(),
        }),
      }),
    ],
    { error: "expected type text, json_object or json_schema" },
  )
  .nullish();

/** The job's `responseFormat` for a request's. */
export function jobResponseFormat(format: z.infer<typeof responseFormatField>) {
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_schema" && format.json_schema.schema)
    return { type: "json_schema" as const, schema: format.json_schema.schema };
  return { type: "json_object" as const };
}
