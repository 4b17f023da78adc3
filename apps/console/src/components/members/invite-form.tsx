"use client";
import { useMutation } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Select } from "@/components/ui/select.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";
import { roleDescriptions, tenantRoles, type TenantRoleName } from "./roles.ts";

export function InviteForm({ canInviteOwners, onInvited }: { canInviteOwners: boolean; onInvited: () => void }) {
  const trpc = useTRPC();
  const invite = useMutation(trpc.members.invite.mutationOptions({ onSuccess: onInvited }));
  const roles = tenantRoles.filter((role) => canInviteOwners || role !== "owner");

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    invite.mutate(
      { email: formText(data, "email"), role: formText(data, "role") as TenantRoleName },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite someone</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end" noValidate>
          <Field id="invite-email" label="Email">
            <Input id="invite-email" name="email" type="email" required />
          </Field>
          <Field id="invite-role" label="Role">
            <Select id="invite-role" name="role" defaultValue="developer">
              {roles.map((role) => (
                <option key={role} value={role}>
                  {role} — {roleDescriptions[role]}
                </option>
              ))}
            </Select>
          </Field>
          <Button type="submit" disabled={invite.isPending}>
            {invite.isPending ? "Sending…" : "Send invitation"}
          </Button>
        </form>
        {invite.error && (
          <Alert tone="error" className="mt-3">
            {invite.error.message}
          </Alert>
        )}
        {invite.data && (
          <Alert tone="success" className="mt-3">
            Invitation sent to {invite.data.email}.
          </Alert>
        )}
      </CardBody>
    </Card>
  );
}
