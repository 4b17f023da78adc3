import { randomBytes } from "node:crypto";
import { expect, type Page } from "@playwright/test";
import { mailedLink } from "./mailbox.ts";
import { signUp } from "./sign-up.ts";

/**
 * The owner invites a new person with `role` from the members page; the
 * guest signs up, follows the mailed link (read from the development outbox) and
 * joins. Returns the guest's email.
 */
export async function inviteAndJoin(owner: Page, guest: Page, organisation: string, role: string) {
  const guestEmail = `guest-${randomBytes(4).toString("hex")}@example.com`;
  await owner.goto("/members");
  await owner.getByLabel("Email", { exact: true }).fill(guestEmail);
  await owner.getByLabel("Role", { exact: true }).selectOption(role);
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(`Invitation sent to ${guestEmail}.`)).toBeVisible();
  await expect(owner.getByRole("row", { name: new RegExp(guestEmail) })).toContainText(role);

  const browser = owner.context().browser();
  if (!browser) throw new Error("the owner's page has no browser");
  const link = await mailedLink(browser, `You are invited to ${organisation} on aiaas`, guestEmail);
  expect(link).toMatch(/\/invitations\/inv_\w+$/);

  await signUp(guest, "Guest's own organisation", guestEmail);
  await guest.goto(link ?? "");
  await expect(guest.getByRole("heading", { name: `Join ${organisation}` })).toBeVisible();
  await guest.getByRole("button", { name: `Join ${organisation}` }).click();
  await expect(guest).toHaveURL(/\/dashboard$/);
  return guestEmail;
}
