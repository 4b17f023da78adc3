/** Endpoint scopes a key may be limited to; a key with none may call all. */
export const apiKeyScopes = [
  "models:read",
  "chat:write",
  "completions:write",
  "embeddings:write",
  "ocr:write",
  "files:write",
  "batches:write",
] as const;
export type ApiKeyScope = (typeof apiKeyScopes)[number];
