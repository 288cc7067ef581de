/**
 * The fault suite's settings: 30 s outages and two instances, as docs/DEPLOY.md promises.
 * FAULT_OUTAGE_SECONDS shortens the outages and FAULT_INSTANCES=1 runs a single gateway behind the
 * balancer, while working on one scenario.
 */
export const OUTAGE_MS = Number(process.env.FAULT_OUTAGE_SECONDS ?? 30) * 1_000;
export const INSTANCES = Number(process.env.FAULT_INSTANCES ?? 2);

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
