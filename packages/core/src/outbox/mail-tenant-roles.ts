import type { DbOrTx, TenantRole } from "@aiaas/db";
import { queueEmail, type OutgoingEmail } from "./queue-email.ts";

/** Queues one mail to each member of a tenant who holds one of `roles`; `compose` gets the tenant's name. */
export async function mailTenantRoles(
  db: DbOrTx,
  input: {
    tenantId: string;
    roles: TenantRole[];
    kind: OutgoingEmail["kind"];
    compose: (tenantName: string) => { subject: string; text: string };
  },
) {
  const members = await db.membership.findMany({
    where: { tenantId: input.tenantId, role: { in: input.roles } },
    select: { user: { select: { email: true } }, tenant: { select: { name: true } } },
  });
  for (const member of members) {
    await queueEmail(
      { to: member.user.email, tenantId: input.tenantId, kind: input.kind, ...input.compose(member.tenant.name) },
      db,
    );
  }
}
