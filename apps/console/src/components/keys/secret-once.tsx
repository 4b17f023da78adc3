"use client";
import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Label } from "@/components/ui/label.tsx";

/** The only place a key's secret is ever shown. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    void navigator.clipboard.writeText(secret).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <div className="space-y-4">
      <Alert tone="info">Copy this key now and keep it somewhere safe. You will not be able to see it again.</Alert>
      <div className="space-y-1.5">
        <Label htmlFor="new-secret">Secret key</Label>
        <div className="flex gap-2">
          <input
            id="new-secret"
            readOnly
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            className="h-10 w-full rounded-md border border-zinc-300 bg-zinc-50 px-3 font-mono text-xs"
          />
          <Button type="button" variant="secondary" onClick={copy} aria-label="Copy secret key">
            {copied ? <Check className="h-4 w-4" aria-hidden /> : <Copy className="h-4 w-4" aria-hidden />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </div>
      <div className="flex justify-end">
        <Button type="button" onClick={onDone}>
          Done
        </Button>
      </div>
    </div>
  );
}
