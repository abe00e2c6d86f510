// Saved profiles grouped by proxy, each with its realm, scheme, user, default marker and last use.
import { useId } from 'preact/hooks';
import type { ProfileView as Profile } from '../../core/model';
import { proxyKey } from '../../core/model';
import { t } from './i18n';
import { formatRelativeTime } from './relative-time';

export interface ProfileListProps {
  profiles: Profile[];
  /** The clock for "last used" (pass a ticking value to keep it fresh). */
  now: number;
  onEdit: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
  onSetDefault: (profile: Profile) => void;
}

interface ProxyGroup {
  key: string;
  label: string;
  profiles: Profile[];
}

/** Groups by host:port (host case-insensitive), groups and members in a stable, readable order. */
export function groupByProxy(profiles: Profile[]): ProxyGroup[] {
  const groups = new Map<string, ProxyGroup>();
  for (const p of profiles) {
    const key = proxyKey(p.proxy);
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { key, label: `${p.proxy.host}:${p.proxy.port}`, profiles: [] }));
    group.profiles.push(p);
  }
  const byName = (a: Profile, b: Profile) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name);
  return [...groups.values()].map((g) => ({ ...g, profiles: g.profiles.sort(byName) })).sort((a, b) => a.key.localeCompare(b.key));
}

export const schemeLabel = (scheme: string): string =>
  scheme === 'basic' ? t('schemeBasic') : scheme === 'digest' ? t('schemeDigest') : scheme === 'ntlm' ? t('schemeNtlm') : scheme === 'any' ? t('schemeAny') : scheme;

/** `realm "Corp Proxy"` or `any realm`, as the list shows it. */
export const realmLabel = (realm: string | null): string => (realm === null ? t('anyRealm') : t('realmNamed', realm));

export function ProfileList({ profiles, now, onEdit, onDelete, onSetDefault }: ProfileListProps) {
  const uid = useId();
  return (
    <div class="profile-groups">
      {groupByProxy(profiles).map((group) => (
        <section key={group.key} class="proxy-group" aria-labelledby={`${uid}-${group.key}`}>
          <h3 id={`${uid}-${group.key}`} class="proxy-group__title">
            {t('proxyGroupTitle', group.label)}
          </h3>
          <ul class="profile-list">
            {group.profiles.map((p) => (
              <ProfileItem key={p.id} profile={p} now={now} onEdit={onEdit} onDelete={onDelete} onSetDefault={onSetDefault} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

function ProfileItem({ profile: p, now, onEdit, onDelete, onSetDefault }: Omit<ProfileListProps, 'profiles'> & { profile: Profile }) {
  const nameId = `${useId()}-name`;
  return (
    <li class="profile" aria-labelledby={nameId}>
      <div class="profile__head">
        <span id={nameId} class="profile__name">
          {p.name}
        </span>
        {p.isDefault && <span class="badge">{t('defaultBadge')}</span>}
        {p.managed && <span class="badge badge--managed">{t('managedBadge')}</span>}
      </div>
      <p class="profile__meta">
        <span class="profile__user">{p.username}</span>
        <span aria-hidden="true"> · </span>
        <span>{realmLabel(p.realm)}</span>
        <span aria-hidden="true"> · </span>
        <span>{p.scheme === 'any' ? t('schemeAnyInList') : schemeLabel(p.scheme)}</span>
      </p>
      {p.unopenable && <p class="notice notice--warning">{t('profileUnopenable')}</p>}
      <p class="profile__used">
        {p.lastUsedAt === null ? (
          t('neverUsed')
        ) : (
          <time dateTime={new Date(p.lastUsedAt).toISOString()}>{t('lastUsed', formatRelativeTime(p.lastUsedAt, now))}</time>
        )}
      </p>
      {p.managed && <p class="field-hint profile__managed">{p.managed === 'locked' ? t('managedLockedHint') : t('managedPresetHint')}</p>}
      {/* the organisation's profiles: a locked one is read-only, a preset takes only a username and password; neither is deleted */}
      <div class="profile__actions">
        {p.managed !== 'locked' && (
          <button type="button" class="button button--small" onClick={() => onEdit(p)}>
            {t('edit')}
          </button>
        )}
        {!p.isDefault && !p.managed && (
          <button type="button" class="button button--small" onClick={() => onSetDefault(p)}>
            {t('setAsDefault')}
          </button>
        )}
        {!p.managed && (
          <button type="button" class="button button--small button--danger" onClick={() => onDelete(p)}>
            {t('delete')}
          </button>
        )}
      </div>
    </li>
  );
}
