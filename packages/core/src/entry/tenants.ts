// @aiaas/core/tenants: Tenants, members, invitations, users, permissions, model access, mail outbox, retention.
export { setUserStatus } from "../users/set-user-status.ts";
export { createTenant, createTenantInput, type CreateTenantInput } from "../tenants/create-tenant.ts";
export { findTenantOrThrow } from "../tenants/find-tenant.ts";
export { listTenants } from "../tenants/list-tenants.ts";
export { setTenantStatus, setTenantStatusInput } from "../tenants/set-tenant-status.ts";
export { tenantSlug, slugify } from "../tenants/tenant-slug.ts";
export { modelCatalogue, type CatalogueModel } from "../models/model-catalogue.ts";
export { listModelAccess, setModelAccess, setModelAccessInput } from "../models/model-access.ts";
export { permissionScopes, rolePermissions, roleCan, type PermissionScope } from "../tenancy/permissions.ts";
export { queueEmail, type OutgoingEmail } from "../outbox/queue-email.ts";
export { inviteMember, inviteMemberInput, INVITATION_DAYS } from "../members/invite-member.ts";
export { acceptInvitation, findInvitationFor } from "../members/accept-invitation.ts";
export { changeMemberRole, removeMember, cancelInvitation } from "../members/change-member.ts";
export { listMembers } from "../members/list-members.ts";
export { updateTenantSettings, tenantSettingsInput } from "../tenants/update-tenant-settings.ts";
export { deleteTenant, deleteTenantInput, type DeleteTenantInput } from "../tenants/delete-tenant.ts";
export { promptPurgeAfter, retentionDays } from "../retention/prompt-retention.ts";
export { purgeExpiredPrompts, type PurgeOptions } from "../retention/purge-expired-prompts.ts";
