// Keeps the proxy's "accepted" verdicts for saved credentials across browser sessions (storage/verdicts.ts).
import type { Profile } from '../core/model';
import { dropVerdict, saveVerdict } from '../storage/verdicts';

/** `key` names the current version of a saved (or policy) profile; a session or typed-once credential never does. */
export const isSavedVersion = (profiles: readonly Pick<Profile, 'id' | 'updatedAt'>[], key: string): boolean =>
  profiles.some((p) => key.endsWith(`|${p.id}@${p.updatedAt}`));

/** The breaker's verdict changed: remember a saved credential the proxy accepted, forget one it refused. */
export function persistVerdict(profiles: () => readonly Profile[], key: string, status: 'good' | 'bad' | 'none'): void {
  if (status === 'none') return;
  const write = status === 'bad' ? dropVerdict(key) : isSavedVersion(profiles(), key) ? saveVerdict(key, Date.now(), (k) => isSavedVersion(profiles(), k)) : null;
  write?.catch((err: unknown) => console.warn('Proxy Auth Keeper: could not keep a proxy verdict:', err instanceof Error ? err.message : String(err)));
}
