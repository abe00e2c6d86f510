// Translates a request's response, completion and error into its life (core/request-life.ts).
import { step } from './life';
import type { State } from './state';

/** Response headers arrived: anything but another 407 means the proxy took our credential. */
export const noteResponse = (s: State, requestId: string, statusCode: number): void => void step(s, requestId, { type: 'responded', statusCode });

export const settleCompleted = (s: State, requestId: string, statusCode: number): void => void step(s, requestId, { type: 'ended', statusCode });

export const settleError = (s: State, requestId: string, error: string): void => void step(s, requestId, { type: 'failed', error });
