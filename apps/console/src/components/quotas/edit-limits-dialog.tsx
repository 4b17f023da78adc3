"use client";
import type { ReactNode } from "react";
import type { LimitsInput } from "@aiaas/api";
import type { LimitSet } from "@aiaas/core/quota";
import { FormDialog } from "@/components/ui/form-dialog.tsx";
import { LimitFields, readLimitFields } from "./limit-fields.tsx";

/**
 * A dialog to edit one scope's limits (a key's, a tenant's override, a plan's);
 * the whole set is saved, an empty field clears its limit.
 */
export function EditLimitsDialog({
  title,
  trigger,
  description,
  values,
  fallback,
  fallbackWord,
  extraFields,
  save,
}: {
  title: string;
  trigger: string;
  description: ReactNode;
  values: LimitSet | undefined;
  fallback?: LimitSet;
  fallbackWord?: string;
  extraFields?: ReactNode;
  /** Resolves when saved; its error's message is shown in the dialog. */
  save: (limits: LimitsInput, form: FormData) => Promise<unknown>;
}) {
  return (
    <FormDialog
      trigger={trigger}
      title={title}
      description={description}
      submitLabel="Save limits"
      submit={(form) => save(readLimitFields(form), form)}
    >
      <LimitFields idPrefix="edit-limits" values={values} fallback={fallback} fallbackWord={fallbackWord} />
      {extraFields}
    </FormDialog>
  );
}
