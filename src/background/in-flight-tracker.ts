// The worker's one record of requests on the wire (see core/in-flight.ts for why it exists).
import { InFlight } from '../core/in-flight';

export const inFlight = new InFlight();
