"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Badge } from "@/components/ui/badge.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

interface Domain {
  id: string;
  domain: string;
  verifiedAt: Date | string | null;
  lastError: string | null;
  recordName: string;
  recordValue: string;
}

/** The organisation's email domains: each proved by a DNS TXT record a worker looks for. */
export function SsoDomains({ domains }: { domains: Domain[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const refresh = { onSuccess: () => void queryClient.invalidateQueries() };
  const add = useMutation(trpc.sso.addDomain.mutationOptions(refresh));
  const check = useMutation(trpc.sso.checkDomain.mutationOptions(refresh));
  const remove = useMutation(trpc.sso.removeDomain.mutationOptions(refresh));
  const failure = add.error ?? check.error ?? remove.error;

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    add.mutate({ domain: formText(new FormData(form), "domain") }, { onSuccess: () => form.reset() });
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Domains</CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        {failure && <Alert tone="error">{failure.message}</Alert>}
        <form onSubmit={submit} className="flex max-w-lg items-end gap-2" noValidate>
          <div className="flex-1">
            <Field id="sso-domain" label="Email domain">
              <Input id="sso-domain" name="domain" placeholder="example.com" required />
            </Field>
          </div>
          <Button type="submit" disabled={add.isPending}>
            {add.isPending ? "Adding…" : "Add domain"}
          </Button>
        </form>
        {domains.length > 0 && (
          <Table>
            <thead>
              <tr>
                <Th>Domain</Th>
                <Th>Status</Th>
                <Th>TXT record to add</Th>
                <Th />
              </tr>
            </thead>
            <tbody>
              {domains.map((domain) => (
                <tr key={domain.id}>
                  <Td className="font-medium">{domain.domain}</Td>
                  <Td>
                    {domain.verifiedAt ? (
                      <Badge tone="green">Verified</Badge>
                    ) : (
                      <div className="space-y-1">
                        <Badge tone="grey">Waiting for DNS</Badge>
                        {domain.lastError && <p className="text-xs text-zinc-500">{domain.lastError}</p>}
                      </div>
                    )}
                  </Td>
                  <Td className="font-mono text-xs break-all">
                    {!domain.verifiedAt && (
                      <>
                        <div>{domain.recordName}</div>
                        <div className="text-zinc-500">{domain.recordValue}</div>
                      </>
                    )}
                  </Td>
                  <Td className="space-x-2 text-right whitespace-nowrap">
                    {!domain.verifiedAt && (
                      <Button size="sm" variant="secondary" onClick={() => check.mutate({ domainId: domain.id })}>
                        Check again
                      </Button>
                    )}
                    <Button size="sm" variant="secondary" onClick={() => remove.mutate({ domainId: domain.id })}>
                      Remove
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
