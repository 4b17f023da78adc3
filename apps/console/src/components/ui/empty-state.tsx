import type { ComponentProps } from "react";
import { cn } from "@/lib/cn.ts";

/** The line a card shows in place of an empty table. */
export const EmptyState = ({ className, ...props }: ComponentProps<"p">) => (
  <p className={cn("px-5 py-8 text-center text-sm text-zinc-600", className)} {...props} />
);
