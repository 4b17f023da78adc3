"use client";
import { useHydrated } from "@/lib/use-hydrated.ts";
import { Field } from "./field.tsx";
import { Input } from "./input.tsx";

/** A labelled search box whose text drives a query; it takes keystrokes only once they can reach that query. */
export function SearchField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const hydrated = useHydrated();
  return (
    <div className="max-w-sm">
      <Field id={id} label={label}>
        <Input
          id={id}
          type="search"
          value={value}
          disabled={!hydrated}
          onChange={(event) => onChange(event.target.value)}
        />
      </Field>
    </div>
  );
}
