import type { ComponentProps } from "react";
import { cn } from "@/lib/cn.ts";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return (
    <input
      className={cn(
        "h-10 w-full rounded-md border border-zinc-300 bg-white px-3 text-sm shadow-xs placeholder:text-zinc-400 focus-visible:border-indigo-500 focus-visible:outline-2 focus-visible:outline-indigo-200 aria-invalid:border-red-500",
        className,
      )}
      {...props}
    />
  );
}
