import type { FastifyInstance } from "fastify";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import { openApiDocument } from "./openapi-document.ts";

/** The public API's description at /openapi.json, rendered (Swagger UI, served locally) at /docs. */
export function registerOpenApiRoutes(app: FastifyInstance) {
  const document = openApiDocument();
  app.get("/openapi.json", async () => document);
  void app.register(swagger, { mode: "static", specification: { document: document as never } });
  void app.register(swaggerUi, { routePrefix: "/docs", uiConfig: { docExpansion: "list", deepLinking: true } });
}
