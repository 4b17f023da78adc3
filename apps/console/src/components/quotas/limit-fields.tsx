"use client";
import type { LimitsInput } from "@aiaas/api";
import type { LimitSet } from "@aiaas/core/quota";
import { microsToUsd } from "@aiaas/core";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { Select } from "@/components/ui/select.tsx";
import { formText } from "@/lib/form-text.ts";

const countLimits = [
  { name: "rpm", label: "Requests / minute" },
  { name: "tpm", label: "Tokens / minute" },
  { name: "rpd", label: "Requests / day" },
  { name: "concurrent", label: "Concurrent requests" },
] as const;

const dollars = (micros: bigint | null | undefined) => (micros == null ? "" : String(microsToUsd(micros)));

/**
 * The limit inputs every limits form shares (a key's, a tenant's override, a
 * plan's): `values` fills them, `fallback` shows as the placeholder of an empty
 * one (what applies when it is left empty).
 */
export function LimitFields({
  idPrefix,
  values,
  fallback,
  fallbackWord = "none",
}: {
  idPrefix: string;
  values?: LimitSet;
  fallback?: LimitSet;
  fallbackWord?: string;
}) {
  const placeholder = (value: number | null | undefined) => (value == null ? fallbackWord : String(value));
  const budgetPlaceholder =
    fallback?.budgetMicros == null ? fallbackWord : `$${dollars(fallback.budgetMicros)} per ${fallback.budgetPeriod}`;
  return (
    <div className="grid grid-cols-2 gap-3">
      {countLimits.map(({ name, label }) => (
        <Field key={name} id={`${idPrefix}-${name}`} label={label}>
          <Input
            id={`${idPrefix}-${name}`}
            name={name}
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            defaultValue={values?.[name] ?? ""}
            placeholder={placeholder(fallback?.[name])}
          />
        </Field>
      ))}
      <Field id={`${idPrefix}-budget`} label="Budget (USD)">
        <Input
          id={`${idPrefix}-budget`}
          name="budget"
          type="number"
          min={0.01}
          step={0.01}
          inputMode="decimal"
          defaultValue={dollars(values?.budgetMicros)}
          placeholder={budgetPlaceholder}
        />
      </Field>
      <Field id={`${idPrefix}-budget-period`} label="Budget period">
        <Select id={`${idPrefix}-budget-period`} name="budgetPeriod" defaultValue={values?.budgetPeriod ?? "month"}>
          <option value="month">per month</option>
          <option value="day">per day (UTC)</option>
        </Select>
      </Field>
    </div>
  );
}

/** The fields as a complete change: every limit set to its value, an empty one cleared. */
export function readLimitFields(form: FormData): LimitsInput {
  const number = (name: string) => (formText(form, name).trim() ? Number(formText(form, name)) : null);
  const budgetUsd = number("budget");
  return {
    rpm: number("rpm"),
    tpm: number("tpm"),
    rpd: number("rpd"),
    concurrent: number("concurrent"),
    budgetUsd,
    budgetPeriod: budgetUsd === null ? null : formText(form, "budgetPeriod") === "day" ? "day" : "month",
  };
}
