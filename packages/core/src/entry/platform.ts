// @aiaas/core/platform: What every server process needs: actors, errors, ids, Redis connections, health routes, failure reports, logging, shutdown, client addresses, dates.
export { type Actor, type ChangeContext, systemActor } from "../actor.ts";
export { DomainError, notFound } from "../errors.ts";
export { newId, idPrefixes, type IdKind } from "../ids.ts";
export { mailableName } from "../text/mailable-name.ts";
export { checkReadiness, type ReadinessCheck, type ReadinessReport } from "../health/readiness.ts";
export { registerHealthRoutes, type HealthRoutesOptions } from "../health/health-routes.ts";
export { FailureReporter, type FailureEvent, type FailureContext } from "../health/failure-reporter.ts";
export { ScriptError } from "../redis/run-script.ts";
export { createRedis, type RedisRole } from "../redis/create-redis.ts";
export { consumeRateCounters, type RateCounter } from "../redis/rate-counters.ts";
export { loggerOptions, type LogFormat } from "../process/logger-options.ts";
export { onShutdown } from "../process/on-shutdown.ts";
export { CLIENT_IP_HEADER, clientAddressResolver, clientIpOf } from "../net/client-address.ts";
export { startOfUtcDay, utcDayKey } from "../time/utc-calendar.ts";
