import { Button } from "@/components/ui/button.tsx";

interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The foot of a card whose table is read a page at a time: fetches the next page while there is one. */
export function LoadMore({ pages, label }: { pages: Pages; label: string }) {
  if (!pages.hasNextPage) return null;
  return (
    <div className="border-t border-zinc-100 p-3 text-center">
      <Button
        variant="secondary"
        size="sm"
        disabled={pages.isFetchingNextPage}
        onClick={() => void pages.fetchNextPage()}
      >
        {pages.isFetchingNextPage ? "Loading…" : label}
      </Button>
    </div>
  );
}
