/** A dependency a process needs to serve: Postgres, Redis… */
export interface ReadinessCheck {
  name: string;
  check: () => Promise<unknown>;
}

export interface ReadinessReport {
  ready: boolean;
  /** "ok", or "unavailable: <reason>" */
  checks: Record<string, string>;
}

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref()),
  ]);

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return error.errors[0].message;
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

/** Runs every check at once; each failure is reported by name with its reason. */
export async function checkReadiness(checks: readonly ReadinessCheck[], timeoutMs = 2000): Promise<ReadinessReport> {
  const results = await Promise.allSettled(checks.map(({ check }) => withTimeout(check(), timeoutMs)));
  const report: ReadinessReport = { ready: true, checks: {} };
  results.forEach((result, index) => {
    const name = checks[index]?.name ?? `check ${index}`;
    if (result.status === "fulfilled") report.checks[name] = "ok";
    else {
      report.ready = false;
      report.checks[name] = `unavailable: ${reason(result.reason)}`;
    }
  });
  return report;
}
