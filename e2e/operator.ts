import { readFileSync } from "node:fs";
import { expect, type Page } from "@playwright/test";

const demo = () =>
  JSON.parse(readFileSync(process.env.DEMO_FILE ?? ".data/demo.json", "utf8")) as {
    operator: { email: string; password: string };
  };

/** Signs in as the seeded platform operator, who lands in the operator area. */
export async function signInAsOperator(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(demo().operator.email);
  await page.getByLabel("Password").fill(demo().operator.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/admin$/);
}
