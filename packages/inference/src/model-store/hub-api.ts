import { z } from "zod";
import { ModelPullError, unreachable } from "./model-pull-error.ts";

/** owner/name, or a name alone for the hub's older top-level models (gpt2). */
const HUB_ID = /^([A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface HubFile {
  path: string;
  size: number;
  /** SHA-256 for files in Git LFS (the ONNX graphs). */
  sha256?: string;
  /** Git's blob id (SHA-1 of "blob <size>\0" + content) for the others. */
  gitOid: string;
}

const treeEntry = z.object({
  type: z.string(),
  path: z.string(),
  size: z.number().int().min(0),
  oid: z.string(),
  lfs: z.object({ oid: z.string(), size: z.number() }).optional(),
});

export function parseHubId(id: string): string {
  if (!HUB_ID.test(id) || id.includes("..")) {
    throw new ModelPullError(
      `"${id}" is not a hub model id: expected owner/name (or a top-level name), e.g. Xenova/all-MiniLM-L6-v2`,
      true,
    );
  }
  return id;
}

export interface HubLocation {
  endpoint: string;
  id: string;
  revision: string;
  token?: string;
}

export const fileUrl = ({ endpoint, id, revision }: HubLocation, path: string) =>
  `${endpoint.replace(/\/$/, "")}/${id}/resolve/${encodeURIComponent(revision)}/${path.split("/").map(encodeURIComponent).join("/")}`;

const headers = (token?: string): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {});

async function getJson(location: HubLocation, path: string): Promise<unknown> {
  const url = `${location.endpoint.replace(/\/$/, "")}${path}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: headers(location.token), signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    throw unreachable(location.endpoint, error);
  }
  if (response.status === 401 || response.status === 403) {
    throw new ModelPullError(
      `${location.id} needs access: set HF_TOKEN to a token that may read it (${response.status})`,
    );
  }
  if (response.status === 404) {
    throw new ModelPullError(
      `${location.id} (revision ${location.revision}) is not on ${new URL(location.endpoint).host}`,
    );
  }
  if (!response.ok) throw new ModelPullError(`${url} answered ${response.status} ${response.statusText}`);
  return response.json();
}

/** Every file of the model at the revision, with sizes and checksums. */
export async function listHubFiles(location: HubLocation): Promise<HubFile[]> {
  const json = await getJson(
    location,
    `/api/models/${location.id}/tree/${encodeURIComponent(location.revision)}?recursive=true`,
  );
  const parsed = z.array(treeEntry).safeParse(json);
  if (!parsed.success) throw new ModelPullError(`the hub's file list for ${location.id} is not in the expected shape`);
  return parsed.data
    .filter((entry) => entry.type === "file")
    .map((entry) => ({
      path: entry.path,
      size: entry.lfs?.size ?? entry.size,
      sha256: entry.lfs?.oid,
      gitOid: entry.oid,
    }));
}

/** The license the model card declares, if any. */
export async function hubLicense(location: HubLocation): Promise<string | undefined> {
  const json = (await getJson(location, `/api/models/${location.id}`)) as { cardData?: { license?: unknown } };
  const license = json.cardData?.license;
  return typeof license === "string" && license.length > 0 ? license : undefined;
}
