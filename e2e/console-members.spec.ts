import { expect, test } from "@playwright/test";
import { inviteAndJoin } from "./invite.ts";
import { signUp } from "./sign-up.ts";

test("invite a second user, who accepts as viewer, cannot create keys, and is promoted", async ({ browser }) => {
  // Two people sign up and an invitation is mailed: three round trips through the mail server.
  test.slow();
  const owner = await (await browser.newContext()).newPage();
  const guest = await (await browser.newContext()).newPage();
  await signUp(owner, "Babbage & Co");
  const guestEmail = await inviteAndJoin(owner, guest, "Babbage & Co", "viewer");
  await expect(guest.getByRole("heading", { level: 1 })).toHaveText("Babbage & Co");

  // A viewer sees keys but no way to create one, and the procedure refuses too.
  await guest.getByRole("link", { name: "API keys" }).click();
  await expect(guest.getByRole("heading", { name: "API keys" })).toBeVisible();
  await expect(guest.getByText("Ask an admin or developer to create one.")).toBeVisible();
  await expect(guest.getByRole("button", { name: "Create key" })).toHaveCount(0);
  const refused = await guest.evaluate(async () => {
    const response = await fetch("/api/trpc/apiKeys.create", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ json: { name: "sneaky" } }),
    });
    return { status: response.status, body: (await response.json()) as { error: { json: { message: string } } } };
  });
  expect(refused.status).toBe(403);
  expect(refused.body.error.json.message).toBe("Your role (viewer) does not allow keys:create.");

  // The owner promotes the viewer to developer; now the button is there.
  await owner.goto("/members");
  const changed = owner.waitForResponse((response) => response.url().includes("members.changeRole"));
  await owner.getByLabel(`Role of ${guestEmail}`).selectOption("developer");
  expect((await changed).ok()).toBe(true);
  await owner.reload();
  await expect(owner.getByLabel(`Role of ${guestEmail}`)).toHaveValue("developer");
  await guest.reload();
  await expect(guest.getByRole("button", { name: "Create key" })).toBeVisible();

  // The owner reads all of it in the audit log, the viewer's refused attempt included.
  await owner.goto("/audit");
  await expect(owner.getByRole("row").locator("code")).toHaveText([
    "member.role_change",
    "access.denied",
    "member.join",
    "member.invite",
    "tenant.create",
  ]);
});
