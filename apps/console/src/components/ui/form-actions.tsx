import { Button } from "./button.tsx";

/** Cancel and submit, right-aligned, for forms in dialogs. */
export function FormActions({
  onCancel,
  label,
  pendingLabel,
  pending,
}: {
  onCancel: () => void;
  label: string;
  pendingLabel: string;
  pending: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      <Button type="button" variant="secondary" onClick={onCancel}>
        Cancel
      </Button>
      <Button type="submit" disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </div>
  );
}
