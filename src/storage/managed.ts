// What the organisation's browser policy sets for us (storage.managed: read-only for the extension).
import browser from 'webextension-polyfill';
import { EMPTY_POLICY, type ManagedPolicy, readPolicy } from '../core/managed-policy';

/**
 * The policy as the browser hands it over. Without a policy Firefox rejects the read ("Managed storage
 * manifest not found") and a browser may lack the area: both mean no policy.
 */
export async function loadPolicy(): Promise<ManagedPolicy> {
  return policyOf(await loadManagedItems());
}

/** Everything storage.managed holds; {} when there is no policy. */
export async function loadManagedItems(): Promise<Record<string, unknown>> {
  try {
    const area = (browser.storage as { managed?: typeof browser.storage.local }).managed;
    return area ? await area.get(null) : {};
  } catch {
    return {};
  }
}

export const policyOf = (raw: Record<string, unknown>): ManagedPolicy => (Object.keys(raw).length ? readPolicy(raw) : EMPTY_POLICY);

/**
 * storage.local key of the policy as last read: at browser start the worker answers from it while
 * the browser's own policy read is still under way (storage/start-image.ts readSourcesAtStart).
 */
export const MANAGED_COPY_KEY = 'managedCopy';

/** A storage area's items, or a JSON object among them (not an array, not null). */
export const isItems = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** The copy kept in storage.local, or null when there is none (first run) or it is not readable. */
export function managedCopyOf(local: Record<string, unknown>): Record<string, unknown> | null {
  const copy = local[MANAGED_COPY_KEY] as { items?: unknown } | undefined;
  return isItems(copy) && isItems(copy.items) ? copy.items : null;
}

/** One spelling of a JSON value whatever its keys' order, to compare two reads of the policy. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (isItems(x)) return `{${Object.keys(x).sort().map((k) => `${JSON.stringify(k)}:${canonical(x[k])}`).join(',')}}`;
  return JSON.stringify(x) ?? 'null';
}

export const sameItems = (a: Record<string, unknown> | null, b: Record<string, unknown>): boolean => a !== null && canonical(a) === canonical(b);
