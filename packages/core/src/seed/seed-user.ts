import { hashPassword, verifyPassword } from "better-auth/crypto";
import type { PlatformRole, Tx } from "@aiaas/db";
import { newId } from "../ids.ts";

export interface SeedUser {
  email: string;
  password: string;
  name: string;
  role: PlatformRole;
}

/**
 * Makes sure a verified user with an email + password login exists and that
 * the password is the given one (hashed the way the console's auth does).
 */
export async function seedUser(user: SeedUser, tx: Tx) {
  const existing = await tx.user.findUnique({ where: { email: user.email } });
  const record =
    existing ??
    (await tx.user.create({
      data: { id: newId("user"), email: user.email, name: user.name, role: user.role, emailVerified: true },
    }));
  const account = await tx.account.findFirst({
    where: { userId: record.id, providerId: "credential" },
    select: { id: true, password: true },
  });
  if (!account) {
    await tx.account.create({
      data: {
        id: newId("account"),
        userId: record.id,
        providerId: "credential",
        accountId: record.id,
        password: await hashPassword(user.password),
      },
    });
  } else if (!account.password || !(await verifyPassword({ hash: account.password, password: user.password }))) {
    await tx.account.update({ where: { id: account.id }, data: { password: await hashPassword(user.password) } });
  }
  return record;
}
