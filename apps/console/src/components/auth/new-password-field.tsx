"use client";
import { useRef, useState } from "react";
import { judgePassword, MIN_PASSWORD_LENGTH, type PasswordVerdict } from "@aiaas/core";
import { Field } from "@/components/ui/field.tsx";
import { PasswordInput } from "@/components/ui/password-input.tsx";
import { cn } from "@/lib/cn.ts";

const strengthNames = ["Very weak", "Weak", "Fair", "Strong", "Very strong"] as const;

/**
 * Where a new password is chosen: shown on request, and measured as it is
 * typed (ASVS 2.1.8) with the verdict the server applies, and why.
 * `knownToAttackers` gives what else the person typed (email, name).
 */
export function NewPasswordField({
  id,
  name,
  label,
  knownToAttackers = () => [],
}: {
  id: string;
  name: string;
  label: string;
  knownToAttackers?: () => string[];
}) {
  const [verdict, setVerdict] = useState<PasswordVerdict | null>(null);
  const latest = useRef(0);

  function measure(password: string) {
    const asked = ++latest.current;
    if (!password) return setVerdict(null);
    void judgePassword(password, knownToAttackers()).then((next) => {
      if (asked === latest.current) setVerdict(next);
    });
  }

  return (
    <Field
      id={id}
      label={label}
      hint={`At least ${MIN_PASSWORD_LENGTH} characters, hard to guess: a few unusual words work well.`}
    >
      <PasswordInput
        id={id}
        name={name}
        autoComplete="new-password"
        aria-describedby={`${id}-hint ${id}-strength`}
        onChange={(event) => measure(event.currentTarget.value)}
        required
      />
      <div
        role="meter"
        aria-label="Strength"
        aria-valuemin={0}
        aria-valuemax={4}
        aria-valuenow={verdict?.score ?? 0}
        aria-valuetext={verdict ? strengthNames[verdict.score] : "Nothing typed yet"}
        className="grid grid-cols-4 gap-1"
      >
        {[1, 2, 3, 4].map((step) => (
          <div
            key={step}
            className={cn(
              "h-1 rounded",
              verdict && verdict.score >= step ? (verdict.refusal ? "bg-amber-500" : "bg-emerald-500") : "bg-zinc-200",
            )}
          />
        ))}
      </div>
      <p id={`${id}-strength`} aria-live="polite" className="text-xs text-zinc-600">
        {verdict && `${strengthNames[verdict.score]}. ${verdict.advice}`}
      </p>
    </Field>
  );
}
