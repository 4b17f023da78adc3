import { randomBytes } from "node:crypto";
import { CLIENT_IP_HEADER } from "../../net/client-address.ts";
import type { Auth } from "../create-auth.ts";
import { handleAuthRequest } from "../handle-auth-request.ts";

export const randomIp = () => `10.${[1, 2, 3].map(() => randomBytes(1)[0] ?? 1).join(".")}`;
export const newEmail = () => `auth-${randomBytes(5).toString("hex")}@example.com`;

/** Browser-like requests to better-auth's real HTTP handler, from one client address. */
export function authRequests(auth: Auth, baseUrl: string) {
  return (path: string, body: unknown, ip: string, cookie?: string) =>
    handleAuthRequest(
      auth,
      new Request(`${baseUrl}/api/auth${path}`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: baseUrl,
          [CLIENT_IP_HEADER]: ip,
          ...(cookie && { cookie }),
        },
        body: JSON.stringify(body),
      }),
    );
}

/** The cookies a response set, as a Cookie header for the next request. */
export const cookiesOf = (response: Response) =>
  response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0] ?? "")
    .filter((pair) => !pair.endsWith("="))
    .join("; ");
