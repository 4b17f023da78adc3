"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatPerMillionTokens, formatUsd, microsToUsd } from "@aiaas/core";
import { Alert } from "@/components/ui/alert.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { formText } from "@/lib/form-text.ts";
import { useTRPC } from "@/lib/trpc.ts";

interface Price {
  inputMicrosPer1k: bigint;
  outputMicrosPer1k: bigint;
  imageMicros: bigint;
  effectiveFrom: Date;
}

const describe = (price: Price) =>
  `in ${formatPerMillionTokens(price.inputMicrosPer1k)}, out ${formatPerMillionTokens(price.outputMicrosPer1k)}, image ${formatUsd(price.imageMicros)}`;
const dollars = (micros: bigint | undefined) => (micros === undefined ? "0" : String(microsToUsd(micros)));

/** Announces a model's next price: from now or a later instant, never in the past. */
function AnnouncePriceDialog({ model, current }: { model: string; current: Price | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const announce = useMutation(
    trpc.admin.setModelPrice.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.prices.queryKey() }),
    }),
  );
  const submit = (form: FormData) => {
    const from = formText(form, "from");
    return announce.mutateAsync({
      model,
      inputUsdPer1k: Number(formText(form, "input")),
      outputUsdPer1k: Number(formText(form, "output")),
      imageUsd: Number(formText(form, "image")),
      effectiveFrom: from ? new Date(from) : undefined,
    });
  };
  const amounts = [
    { name: "input", label: "USD / 1K input tokens", value: current?.inputMicrosPer1k },
    { name: "output", label: "USD / 1K output tokens", value: current?.outputMicrosPer1k },
    { name: "image", label: "USD / image", value: current?.imageMicros },
  ];
  return (
    <FormDialog
      trigger="New price"
      title={`New price of ${model}`}
      description="Charged from the moment it takes effect; what was charged before keeps its price."
      submitLabel="Announce price"
      submit={submit}
    >
      <div className="grid grid-cols-3 gap-3">
        {amounts.map((amount) => (
          <Field key={amount.name} id={`price-${amount.name}`} label={amount.label}>
            <Input
              id={`price-${amount.name}`}
              name={amount.name}
              type="number"
              min={0}
              step="any"
              defaultValue={dollars(amount.value)}
            />
          </Field>
        ))}
      </div>
      <Field id="price-from" label="Takes effect (your local time; empty: now)">
        <Input id="price-from" name="from" type="datetime-local" />
      </Field>
    </FormDialog>
  );
}

/** Every model's price in force and the ones announced; every change audited. */
export function PricesTable() {
  const trpc = useTRPC();
  const prices = useQuery(trpc.admin.prices.queryOptions());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Prices</h1>
        <p className="mt-1 text-sm text-zinc-600">
          Requests are charged at the price in force when they come in; gateways know announced prices ahead.
        </p>
      </div>
      {prices.error && <Alert tone="error">{prices.error.message}</Alert>}
      <Card>
        <Table aria-label="Prices">
          <thead>
            <tr>
              <Th>Model</Th>
              <Th>In force</Th>
              <Th>Announced</Th>
              <Th />
            </tr>
          </thead>
          <tbody>
            {prices.data?.map((model) => (
              <tr key={model.id}>
                <Td className="font-mono text-xs">{model.slug}</Td>
                <Td className="text-xs">{model.current ? describe(model.current) : "free (never priced)"}</Td>
                <Td className="text-xs">
                  {model.announced.length === 0
                    ? "—"
                    : model.announced.map((price) => (
                        <span key={price.id} className="block">
                          from {price.effectiveFrom.toISOString().replace(/\.\d{3}Z$/, "Z")}: {describe(price)}
                        </span>
                      ))}
                </Td>
                <Td className="text-right">
                  <AnnouncePriceDialog model={model.slug} current={model.current} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
