"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Select } from "@/components/ui/select.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { useTRPC } from "@/lib/trpc.ts";
import { useCurrentTenant } from "@/lib/use-current-tenant.ts";
import { InviteForm } from "./invite-form.tsx";
import { tenantRoles, type TenantRoleName } from "./roles.ts";

export function MembersPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { current, can } = useCurrentTenant();
  const members = useQuery(trpc.members.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.members.cancelInvite.mutationOptions({ onSuccess: refresh }));
  const problem = changeRole.error ?? remove.error ?? cancel.error ?? members.error;

  return (
    <div className="space-y-6">
      <header>
        <h1 className="text-2xl font-semibold">Members</h1>
        <p className="text-sm text-zinc-600">
          Who can use {current.data?.tenant.name ?? "this organisation"}, and with which role.
        </p>
      </header>
      {problem && <Alert tone="error">{problem.message}</Alert>}
      {can("members:invite") && (
        <InviteForm canInviteOwners={current.data?.role === "owner"} onInvited={() => void refresh()} />
      )}
      <Card>
        <CardHeader>
          <CardTitle>People</CardTitle>
        </CardHeader>
        <Table>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Role</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </thead>
          <tbody>
            {members.data?.members.map((member) => (
              <tr key={member.id}>
                <Td className="font-medium">{member.name}</Td>
                <Td className="text-zinc-600">{member.email}</Td>
                <Td>
                  {can("members:manage") ? (
                    <Select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      className="h-8 w-36"
                      onChange={(event) =>
                        changeRole.mutate({ membershipId: member.id, role: event.target.value as TenantRoleName })
                      }
                    >
                      {tenantRoles.map((role) => (
                        <option key={role} value={role}>
                          {role}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    member.role
                  )}
                </Td>
                <Td className="text-right">
                  {can("members:manage") && (
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`Remove ${member.email}`}
                      onClick={() => remove.mutate({ membershipId: member.id })}
                    >
                      Remove
                    </Button>
                  )}
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
      {members.data && members.data.invitations.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>Pending invitations</CardTitle>
          </CardHeader>
          <Table>
            <thead>
              <tr>
                <Th>Email</Th>
                <Th>Role</Th>
                <Th>Expires</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </thead>
            <tbody>
              {members.data.invitations.map((invitation) => (
                <tr key={invitation.id}>
                  <Td>{invitation.email}</Td>
                  <Td>{invitation.role}</Td>
                  <Td className="text-zinc-600">{invitation.expiresAt.toLocaleDateString()}</Td>
                  <Td className="text-right">
                    {can("members:invite") && (
                      <Button
                        variant="ghost"
                        size="sm"
                        aria-label={`Cancel invitation of ${invitation.email}`}
                        onClick={() => cancel.mutate({ invitationId: invitation.id })}
                      >
                        Cancel
                      </Button>
                    )}
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </Card>
      )}
    </div>
  );
}
