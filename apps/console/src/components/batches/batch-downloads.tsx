"use client";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button.tsx";
import { useTRPC } from "@/lib/trpc.ts";

/** Hands a text file to the browser as a download. */
function saveAs(filename: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: "application/jsonl" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.click();
  URL.revokeObjectURL(url);
}

/** A batch's files as downloads: decrypted on the server for someone allowed to read answers, and audited. */
export function BatchDownloads({ files }: { files: { label: string; id: string | null }[] }) {
  const trpc = useTRPC();
  const read = useMutation(
    trpc.batches.readFile.mutationOptions({ onSuccess: ({ filename, content }) => saveAs(filename, content) }),
  );
  return (
    <div className="flex flex-wrap gap-1">
      {files
        .filter((file): file is { label: string; id: string } => file.id !== null)
        .map((file) => (
          <Button
            key={file.id}
            variant="ghost"
            size="sm"
            disabled={read.isPending}
            aria-label={`Download the ${file.label.toLowerCase()} file`}
            onClick={() => read.mutate({ fileId: file.id })}
          >
            {file.label}
          </Button>
        ))}
      {read.error && <span className="text-xs text-red-700">{read.error.message}</span>}
    </div>
  );
}
