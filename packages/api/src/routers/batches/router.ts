import { router } from "../../trpc.ts";
import { cancel } from "./cancel-batch.ts";
import { list } from "./list-batches.ts";
import { readFile } from "./read-batch-file.ts";

export const batchesRouter = router({ list, cancel, readFile });
