"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button.tsx";
import { useTRPC } from "@/lib/trpc.ts";

/** Suspends a person (signed out everywhere, their playground keys ended at once) or lets them back. */
export function PersonStatusButton({
  tenantId,
  userId,
  email,
  suspended,
}: {
  tenantId: string;
  userId: string;
  email: string;
  suspended: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const setUserStatus = useMutation(
    trpc.admin.setUserStatus.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.admin.tenant.queryKey({ tenantId }) }),
    }),
  );
  return (
    <span className="flex items-center justify-end gap-2">
      {setUserStatus.error && <span className="text-xs text-red-700">{setUserStatus.error.message}</span>}
      <Button
        size="sm"
        variant={suspended ? "secondary" : "ghost"}
        aria-label={`${suspended ? "Resume" : "Suspend"} ${email}`}
        disabled={setUserStatus.isPending}
        onClick={() => setUserStatus.mutate({ userId, status: suspended ? "active" : "suspended" })}
      >
        {suspended ? "Resume" : "Suspend"}
      </Button>
    </span>
  );
}
