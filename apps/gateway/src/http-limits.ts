/** How long a connection may take over its parts, and how many there may be (docs/operations.md). */
export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this (slow-body connections are cut). */
  requestTimeoutMs: number;
  /** Its headers within this. */
  headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this: longer than load balancers' 60 s. */
  keepAliveTimeoutMs: number;
  /** Connections this process holds at once; one more is closed as soon as it is accepted. */
  maxConnections: number;
  /** Requests one connection may carry before it is closed, so load spreads over new gateways. */
  maxRequestsPerSocket: number;
}

export const defaultHttpLimits: HttpLimits = {
  requestTimeoutMs: 120_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 65_000,
  maxConnections: 10_000,
  maxRequestsPerSocket: 10_000,
};
