import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt, exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";
import Provider from "oidc-provider";
import { answer, signInPage } from "./idp-pages.ts";

export interface IdpUser {
  password: string;
  email: string;
  name: string;
  groups: string[];
}

/** How the IdP's token endpoint misbehaves, for refusal tests: its ID token edited, or re-signed with bad claims. */
export type TokenMischief =
  null | { kind: "tamper"; claims: Record<string, unknown> } | { kind: "resign"; claims: Record<string, unknown> };

async function formOf(request: IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString());
}

/**
 * A real OpenID Provider (the certified `oidc-provider`) on loopback, with a
 * sign-in page of its own (login + password, as a person's IdP has) and the
 * users the test gives it. `mischief` makes its token endpoint answer a
 * tampered or badly re-signed ID token.
 */
export async function startOidcIdp(options: { clientId: string; clientSecret: string; redirectUri: string }) {
  const users = new Map<string, IdpUser>();
  const { privateKey } = await generateKeyPair("RS256", { extractable: true });
  const jwk: JWK = { ...(await exportJWK(privateKey)), kid: "idp-key", alg: "RS256", use: "sig" };
  let mischief: TokenMischief = null;
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: { keys: [jwk] },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    conformIdTokenClaims: false,
    ttl: { AccessToken: 600, AuthorizationCode: 60, Grant: 3600, IdToken: 600, Interaction: 600, Session: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const user = users.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({ sub, email: user.email, email_verified: true, name: user.name, groups: user.groups }),
      };
    },
  });
  provider.on("server_error", (_ctx, error) => console.error("test IdP:", error));
  const callback = provider.callback();

  server.on("request", (request, response) => {
    answer(response, async () => {
      const path = request.url ?? "/";
      const interaction = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
      if (interaction && request.method === "GET") {
        const { uid } = await provider.interactionDetails(request, response);
        signInPage(response, `/interaction/${uid}/login`);
        return;
      }
      if (interaction?.[2] && request.method === "POST") {
        const form = await formOf(request);
        const details = await provider.interactionDetails(request, response);
        const login = form.get("login") ?? "";
        const user = users.get(login);
        if (!user || user.password !== form.get("password")) {
          response.statusCode = 401;
          response.end("wrong username or password");
          return;
        }
        const grant = new provider.Grant({ accountId: login, clientId: options.clientId });
        const scope = details.params.scope;
        grant.addOIDCScope(typeof scope === "string" ? scope : "openid");
        const grantId = await grant.save();
        await provider.interactionFinished(
          request,
          response,
          { login: { accountId: login }, consent: { grantId } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (path.startsWith("/token") && mischief) {
        rewriteIdToken(response, mischief, privateKey);
      }
      await callback(request, response);
    });
  });

  return {
    issuer,
    users,
    /** Makes the token endpoint misbehave (null: honest again). */
    misbehave(next: TokenMischief) {
      mischief = next;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Replaces the ID token in the token endpoint's answer: claims edited under the old signature, or re-signed. */
function rewriteIdToken(response: ServerResponse, mischief: NonNullable<TokenMischief>, key: CryptoKey) {
  const end = response.end.bind(response);
  const chunks: Buffer[] = [];
  const write = (chunk: unknown) => {
    if (Buffer.isBuffer(chunk)) chunks.push(chunk);
    else if (typeof chunk === "string") chunks.push(Buffer.from(chunk));
    return true;
  };
  response.write = write as typeof response.write;
  response.end = ((chunk?: unknown) => {
    write(chunk);
    void (async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { id_token?: string };
      if (body.id_token) {
        const claims = { ...decodeJwt(body.id_token), ...mischief.claims };
        if (mischief.kind === "resign") {
          body.id_token = await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid: "idp-key" }).sign(key);
        } else {
          const [header, , signature] = body.id_token.split(".");
          body.id_token = `${header}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.${signature}`;
        }
      }
      const text = JSON.stringify(body);
      response.setHeader("content-length", Buffer.byteLength(text));
      end(text);
    })();
    return response;
  }) as typeof response.end;
}
