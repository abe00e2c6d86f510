// The worker's one record of requests on the wire (see core/in-flight.ts for why it exists).
import { InFlight } from '../core/in-flight';

/** Firefox has getBrowserInfo; Chromium does not (and no `browser` global of its own). */
const isFirefox = typeof (globalThis as { browser?: { runtime?: { getBrowserInfo?: unknown } } }).browser?.runtime?.getBrowserInfo === 'function';

/** Chromium keeps at most 6 connections per pool (one destination as seen from one page); Firefox sends every request at once. */
export const CHROMIUM_POOL_LIMIT = 6;

export const inFlight = new InFlight(isFirefox ? null : CHROMIUM_POOL_LIMIT);

/**
 * The safety net of the burst wait: the longest a first (unproven) answer waits for requests that
 * never report reaching the proxy. The ordering releases it long before (usually within one round trip).
 */
export const BURST_WAIT_MS = 2_000;
