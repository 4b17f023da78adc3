import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/** Class names, later ones winning over conflicting Tailwind utilities. */
export const cn = (...inputs: ClassValue[]) => twMerge(clsx(inputs));
