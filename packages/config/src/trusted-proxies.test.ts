import { describe, expect, it } from "vitest";
import { trustedProxies } from "./env-fields.ts";

describe("TRUSTED_PROXIES", () => {
  it("is empty by default: no proxy is believed", () => {
    expect(trustedProxies.parse(undefined)).toEqual([]);
    expect(trustedProxies.parse(" ")).toEqual([]);
  });

  it("takes addresses, CIDRs, netmasks and proxy-addr's range names", () => {
    expect(trustedProxies.parse("10.0.0.0/8, 192.168.1.7 ,fd00::/8,loopback,172.16.0.0/255.240.0.0")).toEqual([
      "10.0.0.0/8",
      "192.168.1.7",
      "fd00::/8",
      "loopback",
      "172.16.0.0/255.240.0.0",
    ]);
  });

  it.each(["10.0.0.0/33", "proxy.internal", "10.0.0/8", "::1/129", "10.0.0.1/8/8", "*"])("refuses %s", (entry) => {
    expect(trustedProxies.safeParse(`loopback,${entry}`).success).toBe(false);
  });
});
