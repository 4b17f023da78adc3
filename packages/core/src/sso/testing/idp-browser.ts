import { CLIENT_IP_HEADER } from "../../net/client-address.ts";

/**
 * A headless person at a browser: follows redirects, keeps each site's
 * cookies, fills the IdP's sign-in form. Requests to `appBaseUrl` go to
 * `app` (our auth handler, called in process) instead of the network.
 */
export function idpBrowser(app: (request: Request) => Promise<Response>, appBaseUrl: string, ip = "10.9.9.9") {
  const jar = new Map<string, Map<string, string>>();
  const cookieHeader = (url: URL) =>
    [...(jar.get(url.origin) ?? new Map<string, string>())].map(([name, value]) => `${name}=${value}`).join("; ");
  const keep = (url: URL, response: Response) => {
    const site = jar.get(url.origin) ?? new Map<string, string>();
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ""] = cookie.split(";");
      const at = pair.indexOf("=");
      const value = pair.slice(at + 1);
      if (value) site.set(pair.slice(0, at), value);
      else site.delete(pair.slice(0, at));
    }
    jar.set(url.origin, site);
  };
  const send = async (url: URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    const cookies = cookieHeader(url);
    if (cookies) headers.set("cookie", cookies);
    headers.set(CLIENT_IP_HEADER, ip);
    const request = new Request(url, { ...init, headers, redirect: "manual" });
    const response = url.origin === new URL(appBaseUrl).origin ? await app(request) : await fetch(request);
    keep(url, response);
    return response;
  };
  const isConsolePage = (url: URL) =>
    url.origin === new URL(appBaseUrl).origin && !url.pathname.startsWith("/api/auth");
  /**
   * Follows redirects from `url` until a page answers, or until sent to a
   * console page (the handler here serves only /api/auth): the last response
   * and where it leads.
   */
  const follow = async (start: URL, init?: RequestInit) => {
    let url = start;
    let response = await send(url, init);
    for (let hops = 0; response.status >= 300 && response.status < 400 && hops < 20; hops++) {
      url = new URL(response.headers.get("location") ?? "", url);
      if (isConsolePage(url)) break;
      response = await send(url);
    }
    return { url, response };
  };
  /**
   * A page that posts a form on load (a SAML IdP's response, oidc-provider's
   * confirmation when another account signs in): posted as the browser
   * would, cross-site where the form goes to another site; until a page that
   * is no such form.
   */
  const submitAutoPosts = async (start: { url: URL; response: Response }) => {
    let page = start;
    for (let forms = 0; forms < 5 && page.response.status === 200; forms++) {
      const html = await page.response.clone().text();
      const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
      if (!action || !/document\.forms\[0\]\.submit\(\)/.test(html)) return page;
      const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map(
        ([, name = "", value = ""]) => [name, value.replaceAll("&amp;", "&")],
      );
      const target = new URL(action.replaceAll("&amp;", "&"), page.url);
      page = await follow(target, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          origin: page.url.origin,
          "sec-fetch-site": target.origin === page.url.origin ? "same-origin" : "cross-site",
          "sec-fetch-mode": "navigate",
        },
        body: new URLSearchParams(fields).toString(),
      });
    }
    return page;
  };
  /** Posts to an endpoint of ours that answers the IdP's URL, and follows it there. */
  const startAt = async (path: string, body: unknown) => {
    const start = await send(new URL(`${appBaseUrl}/api/auth${path}`), {
      method: "POST",
      headers: { "content-type": "application/json", origin: appBaseUrl },
      body: JSON.stringify(body),
    });
    if (start.status !== 200) throw new Error(`${path} answered ${start.status}: ${await start.text()}`);
    const { url } = (await start.json()) as { url: string };
    return follow(new URL(url));
  };
  return {
    follow,
    submitAutoPosts,
    cookiesFor: (url: string) => cookieHeader(new URL(url)),
    /** Types the email into the console's SSO form: the IdP's page it is sent to. */
    startSso: (email: string) => startAt("/sso/start", { email }),
    /** Asks, signed in, to prove who they are at the IdP (coming back to `returnTo`): the IdP's page. */
    startReauthentication: (returnTo: string) => startAt("/sso/reauthenticate", { returnTo }),
    /** At the IdP's sign-in page: signs in there and follows its redirects back. */
    async signInAtIdp(page: { url: URL; response: Response }, login: string, password: string) {
      const html = await page.response.text();
      const action = /action="([^"]+)"/.exec(html)?.[1];
      if (!action) throw new Error(`not the IdP's sign-in page: ${page.response.status} ${html.slice(0, 200)}`);
      const back = await follow(new URL(action, page.url), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ login, password }).toString(),
      });
      return submitAutoPosts(back);
    },
  };
}
