import { Button } from "@/components/ui/button.tsx";

/** A form post (app/sign-out): it works from the first paint, before React has hydrated the page. */
export function SignOutButton({ className }: { className?: string }) {
  return (
    <form action="/sign-out" method="post" className={className}>
      <Button type="submit" variant="secondary" size="sm">
        Sign out
      </Button>
    </form>
  );
}
