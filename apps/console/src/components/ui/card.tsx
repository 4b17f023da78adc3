import type { ComponentProps } from "react";
import { cn } from "@/lib/cn.ts";

export const Card = ({ className, ...props }: ComponentProps<"section">) => (
  <section className={cn("rounded-lg border border-zinc-200 bg-white shadow-xs", className)} {...props} />
);
export const CardHeader = ({ className, ...props }: ComponentProps<"div">) => (
  <div
    className={cn("flex flex-wrap items-start justify-between gap-3 border-b border-zinc-100 px-5 py-4", className)}
    {...props}
  />
);
export const CardTitle = ({ className, ...props }: ComponentProps<"h2">) => (
  <h2 className={cn("text-base font-semibold", className)} {...props} />
);
export const CardBody = ({ className, ...props }: ComponentProps<"div">) => (
  <div className={cn("px-5 py-4", className)} {...props} />
);
