/**
 * How many random cases a property test tries: a few (seconds) in `npm test`,
 * many in `npm run test:faults`, which sets PROPERTY_RUNS.
 */
export function propertyRuns(quick: number): number {
  const configured = Number(process.env.PROPERTY_RUNS);
  return Number.isInteger(configured) && configured > 0 ? configured : quick;
}
