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
  /** A SAML IdP's page that posts the response on load: posted, as the browser would (a cross-site form POST). */
  const postSamlForm = async (page: { url: URL; response: Response }) => {
    const html = await page.response.clone().text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    const samlResponse = /name="SAMLResponse" value="([^"]+)"/.exec(html)?.[1];
    if (!action || !samlResponse) return page;
    return follow(new URL(action.replaceAll("&amp;", "&"), page.url), {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: page.url.origin,
        "sec-fetch-site": "cross-site",
        "sec-fetch-mode": "navigate",
      },
      body: new URLSearchParams({ SAMLResponse: samlResponse }).toString(),
    });
  };
  return {
    follow,
    postSamlForm,
    cookiesFor: (url: string) => cookieHeader(new URL(url)),
    /** Types the email into the console's SSO form: the IdP's page it is sent to. */
    async startSso(email: string) {
      const start = await send(new URL(`${appBaseUrl}/api/auth/sso/start`), {
        method: "POST",
        headers: { "content-type": "application/json", origin: appBaseUrl },
        body: JSON.stringify({ email }),
      });
      if (start.status !== 200) throw new Error(`SSO start answered ${start.status}: ${await start.text()}`);
      const { url } = (await start.json()) as { url: string };
      return follow(new URL(url));
    },
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
      return back.response.status === 200 ? postSamlForm(back) : back;
    },
  };
}
