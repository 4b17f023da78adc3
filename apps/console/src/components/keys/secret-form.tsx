"use client";
import type { FormEvent, ReactNode } from "react";
import { ConfirmIdentity, reauthenticationOf, type MaybeReauthenticate } from "@/components/auth/confirm-identity.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { FormActions } from "@/components/ui/form-actions.tsx";
import { SecretOnce } from "./secret-once.tsx";

/** The part of a mutation (react-query) that hands out a secret which this form reads. */
interface SecretMutation<Variables> {
  data?: { secret: string } | undefined;
  error: (MaybeReauthenticate & { message: string }) | null;
  variables?: Variables | undefined;
  isPending: boolean;
  mutate: (variables: Variables) => void;
}

/**
 * A dialog's form that mints a key secret (create, roll): the fields, then
 * the secret shown once. When the sign-in is too old (ASVS 3.7.1) it asks for
 * the password (or a new sign-in at the IdP) beside the form and retries with
 * what was submitted.
 */
export function SecretForm<Variables>({
  mutation,
  onSubmit,
  onClose,
  label,
  pendingLabel,
  children,
}: {
  mutation: SecretMutation<Variables>;
  onSubmit: (event: FormEvent<HTMLFormElement>) => void;
  onClose: () => void;
  label: string;
  pendingLabel: string;
  children: ReactNode;
}) {
  if (mutation.data) return <SecretOnce secret={mutation.data.secret} onDone={onClose} />;
  const { error, variables } = mutation;
  const reauthenticate = reauthenticationOf(error);
  return (
    <>
      {reauthenticate && (
        <ConfirmIdentity
          via={reauthenticate}
          reason={error?.message ?? ""}
          onConfirmed={() => variables !== undefined && mutation.mutate(variables)}
        />
      )}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        {error && !reauthenticate && <Alert tone="error">{error.message}</Alert>}
        {children}
        <FormActions onCancel={onClose} label={label} pendingLabel={pendingLabel} pending={mutation.isPending} />
      </form>
    </>
  );
}
