import { Pool } from "undici";

/**
 * POSTs JSON over kept-alive connections (undici, lighter than fetch: the
 * load generator shares the cores with what it measures) and reads the whole
 * answer, streams included. Anything but a 200 is an error.
 */
export function jsonPoster(origin: string, headers: Record<string, string>, connections = 64) {
  const pool = new Pool(origin, { connections, pipelining: 1 });
  const allHeaders = { "content-type": "application/json", ...headers };
  return {
    post: async (path: string, body: string) => {
      const response = await pool.request({ method: "POST", path, headers: allHeaders, body }).catch((error: Error) => {
        throw new Error(`${origin}${path}: ${error.message}`, { cause: error });
      });
      const text = await response.body.text();
      if (response.statusCode !== 200) throw new Error(`${origin}${path} answered ${response.statusCode}: ${text}`);
      return text;
    },
    close: () => pool.close(),
  };
}
