"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card.tsx";
import { Field } from "@/components/ui/field.tsx";
import { Input } from "@/components/ui/input.tsx";
import { authClient } from "@/lib/auth-client.ts";
import { authErrorMessage } from "@/lib/error-message.ts";
import { formText } from "@/lib/form-text.ts";

/** The signed-in user's name, as members and the audit log show it. */
export function ProfileForm({ name, email }: { name: string; email: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    const { error } = await authClient.updateUser({ name: formText(new FormData(event.currentTarget), "name").trim() });
    setPending(false);
    if (error) return setMessage({ tone: "error", text: authErrorMessage(error, "Could not save your name.") });
    setMessage({ tone: "success", text: "Name saved." });
    router.refresh();
  }

  return (
    <Card>
      <CardHeader>
        <CardTitle>Profile</CardTitle>
      </CardHeader>
      <CardBody>
        <form onSubmit={(event) => void submit(event)} className="max-w-sm space-y-4" noValidate>
          {message && <Alert tone={message.tone}>{message.text}</Alert>}
          <Field id="name" label="Your name" hint={`Signed in as ${email}.`}>
            <Input id="name" name="name" defaultValue={name} autoComplete="name" aria-describedby="name-hint" />
          </Field>
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save name"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
