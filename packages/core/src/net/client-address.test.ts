import type { IncomingMessage } from "node:http";
import { describe, expect, it } from "vitest";
import { clientAddressResolver } from "./client-address.ts";

/** What proxy-addr reads of a request: the peer's address and X-Forwarded-For. */
const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor === undefined ? {} : { "x-forwarded-for": forwardedFor },
  }) as unknown as IncomingMessage;

describe("the client's address", () => {
  it("is the peer when no proxy is trusted, whatever X-Forwarded-For says", () => {
    const resolve = clientAddressResolver([]);
    expect(resolve(request("198.51.100.4", "203.0.113.9"))).toBe("198.51.100.4");
    expect(resolve(request("127.0.0.1", "203.0.113.9"))).toBe("127.0.0.1");
  });

  it("is read from the right past trusted proxies only: a spoofed left-most entry is ignored", () => {
    const resolve = clientAddressResolver(["10.0.0.0/8"]);
    // The client (198.51.100.4) sent "1.2.3.4" itself; the load balancer (10.0.0.2) appended the client's address.
    expect(resolve(request("10.0.0.7", "1.2.3.4, 198.51.100.4, 10.0.0.2"))).toBe("198.51.100.4");
    // A peer outside the trusted range is the client, even with a header.
    expect(resolve(request("198.51.100.8", "1.2.3.4"))).toBe("198.51.100.8");
    // A trusted proxy without a header: the proxy is all we know.
    expect(resolve(request("10.0.0.7"))).toBe("10.0.0.7");
  });

  it("takes proxy-addr's range names", () => {
    expect(clientAddressResolver(["loopback"])(request("::1", "203.0.113.9"))).toBe("203.0.113.9");
  });
});
