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
