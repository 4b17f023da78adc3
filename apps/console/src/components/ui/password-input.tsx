"use client";
import { useState, type ComponentProps } from "react";
import { cn } from "@/lib/cn.ts";
import { Input } from "./input.tsx";

/** A password input its owner can show while typing (ASVS 2.1.12); hidden again on submit by the browser's own reload. */
export function PasswordInput({ className, id, ...props }: Omit<ComponentProps<"input">, "type">) {
  const [shown, setShown] = useState(false);
  return (
    <div className="relative">
      <Input {...props} id={id} type={shown ? "text" : "password"} className={cn("pr-16", className)} />
      <button
        type="button"
        onClick={() => setShown((now) => !now)}
        aria-pressed={shown}
        aria-controls={id}
        className="absolute inset-y-0 right-0 px-3 text-xs font-medium text-zinc-600 hover:text-zinc-900 focus-visible:outline-2 focus-visible:outline-indigo-200"
      >
        {shown ? "Hide" : "Show"}
        <span className="sr-only"> password</span>
      </button>
    </div>
  );
}
