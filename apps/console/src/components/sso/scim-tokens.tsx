"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ConfirmIdentity, reauthenticationOf } from "@/components/auth/confirm-identity.tsx";
import { SecretOnce } from "@/components/keys/secret-once.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

interface ScimToken {
  id: string;
  name: string;
  prefix: string;
  last4: string;
  createdAt: Date | string;
  lastUsedAt: Date | string | null;
}

const when = (at: Date | string | null) => (at ? new Date(at).toLocaleString() : "never");

/** SCIM provisioning: the base URL and bearer tokens for the organisation's IdP. */
export function ScimTokens({ tokens, scimUrl }: { tokens: ScimToken[]; scimUrl: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [secret, setSecret] = useState<string | null>(null);
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.sso.createScimToken.mutationOptions({
      onSuccess: (made) => {
        setSecret(made.secret);
        void queryClient.invalidateQueries();
      },
    }),
  );
  const revoke = useMutation(
    trpc.sso.revokeScimToken.mutationOptions({ onSuccess: () => void queryClient.invalidateQueries() }),
  );
  const reauthenticate = reauthenticationOf(create.error);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const typed = formText(new FormData(event.currentTarget), "name");
    setName(typed);
    create.mutate({ name: typed });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Provisioning (SCIM 2.0)</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        <p className="text-sm text-zinc-600">
          Your IdP creates, updates and deactivates people here. SCIM base URL:{" "}
          <code className="break-all">{scimUrl}</code>. Deactivating someone ends their sessions at once.
        </p>
        {secret ? (
          <SecretOnce secret={secret} onDone={() => setSecret(null)} />
        ) : (
          <form onSubmit={submit} className="flex max-w-lg items-end gap-2" noValidate>
            <div className="flex-1">
              <Field id="scim-token-name" label="New token for">
                <Input id="scim-token-name" name="name" placeholder="Okta" required />
              </Field>
            </div>
            <Button type="submit" disabled={create.isPending}>
              Create token
            </Button>
          </form>
        )}
        {create.error && !reauthenticate && <Alert tone="error">{create.error.message}</Alert>}
        {reauthenticate && (
          <ConfirmIdentity
            via={reauthenticate}
            reason={create.error?.message ?? ""}
            onConfirmed={() => create.mutate({ name })}
          />
        )}
        {revoke.error && <Alert tone="error">{revoke.error.message}</Alert>}
        {tokens.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Name</Th>
                <Th>Token</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              {tokens.map((token) => (
                <tr key={token.id}>
                  <Td className="font-medium">{token.name}</Td>
                  <Td className="font-mono text-xs">
                    {token.prefix}…{token.last4}
                  </Td>
                  <Td>{when(token.createdAt)}</Td>
                  <Td>{when(token.lastUsedAt)}</Td>
                  <Td className="text-right">
                    <Button size="sm" variant="secondary" onClick={() => revoke.mutate({ tokenId: token.id })}>
                      Revoke
                    </Button>
                  </Td>
                </tr>
              ))}
            </tbody>
          </Table>
        )}
      </CardBody>
    </Card>
  );
}
