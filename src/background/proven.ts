// Remembers the schemes a profile's password was proven with (accepted by the proxy, or allowed by the user).
import { withProven } from '../core/downgrade';
import { type Profile, type Scheme, isSessionProfile } from '../core/model';
import { addProvenScheme } from '../storage/profiles';
import { saveSessionProfiles } from '../storage/session';
import type { State } from './state';

/** Adds `scheme` to the profile in memory (the match index holds the same object) and in storage. */
export async function rememberProven(s: State, profile: Profile, scheme: Scheme): Promise<void> {
  const provenSchemes = withProven(profile, scheme);
  if (provenSchemes === profile.provenSchemes) return;
  profile.provenSchemes = provenSchemes;
  if (isSessionProfile(profile)) await saveSessionProfiles(s.sessionProfiles);
  else await addProvenScheme(profile.id, scheme);
}
