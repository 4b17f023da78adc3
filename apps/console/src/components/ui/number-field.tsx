import { Field } from "./field.tsx";
import { Input } from "./input.tsx";

/** A labelled number box that only ever hands back a value within [min, max] (an empty box reads as min). */
export function NumberField({
  id,
  label,
  min,
  max,
  step = 1,
  value,
  onChange,
}: {
  id: string;
  label: string;
  min: number;
  max: number;
  step?: number;
  value: number;
  onChange: (value: number) => void;
}) {
  return (
    <Field id={id} label={label}>
      <Input
        id={id}
        type="number"
        min={min}
        max={max}
        step={step}
        value={value}
        onChange={(event) => onChange(Math.max(min, Math.min(max, Number(event.target.value) || min)))}
      />
    </Field>
  );
}
