// The worker's one record of requests on the wire (see core/in-flight.ts for why it exists).
import { InFlight } from '../core/in-flight';

export const inFlight = new InFlight();

/** Longest a first (unproven) answer waits for the rest of its burst to reach the listener. */
export const BURST_WAIT_MS = 300;
