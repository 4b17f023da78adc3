import { describe, expect, it } from "vitest";
import { assertPublicIdpUrl, publicOnlyLookup } from "./idp-fetch.ts";

const lookupWith = (...addresses: string[]) =>
  new Promise<{ error: Error | null; address: unknown }>((resolve) => {
    const lookup = publicOnlyLookup(() => Promise.resolve(addresses.map((address) => ({ address, family: 4 }))));
    lookup("idp.example.com", {}, (error, address) => resolve({ error, address }));
  });

describe("IdP addresses", () => {
  it("connects to public addresses only, whatever the name answers when the socket opens (DNS rebinding)", async () => {
    expect(await lookupWith("93.184.216.34")).toEqual({ error: null, address: "93.184.216.34" });
    for (const inside of ["127.0.0.1", "10.1.2.3", "169.254.169.254", "192.168.0.1", "::1", "fd00::1"]) {
      const { error } = await lookupWith("93.184.216.34", inside);
      expect(error?.message).toBe(`idp.example.com resolves to ${inside}, not a public address`);
    }
  });

  it("takes https on a public address, and refuses plain http and addresses inside our network", async () => {
    await expect(assertPublicIdpUrl("http://idp.example.com/", false)).rejects.toThrow(
      "http://idp.example.com is not https.",
    );
    await expect(assertPublicIdpUrl("https://127.0.0.1:8443/", false)).rejects.toThrow(
      "127.0.0.1 is not a public address.",
    );
    await expect(assertPublicIdpUrl("https://[::1]/", false)).rejects.toThrow("[::1] is not a public address.");
    await expect(assertPublicIdpUrl("https://169.254.169.254/", false)).rejects.toThrow(/not a public address/);
    expect((await assertPublicIdpUrl("http://127.0.0.1:8080/", true)).host).toBe("127.0.0.1:8080");
  });
});
