import type { ServerResponse } from "node:http";

export const escapeMarkup = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

/** A test IdP's sign-in page: login and password, posted to `action`. */
export function signInPage(response: ServerResponse, action: string) {
  response.setHeader("content-type", "text/html");
  response.end(
    `<!doctype html><title>Test IdP</title><h1>Sign in to the company IdP</h1>` +
      `<form method="post" action="${escapeMarkup(action)}">` +
      `<label>Username <input name="login" autocomplete="username"></label>` +
      `<label>Password <input name="password" type="password"></label>` +
      `<button type="submit">Sign in</button></form>`,
  );
}

/** Runs a test IdP's handler; what throws answers 500 with the error (the test then fails saying why). */
export function answer(response: ServerResponse, handle: () => Promise<void>) {
  handle().catch((error: unknown) => {
    response.statusCode = 500;
    response.end(String(error));
  });
}
