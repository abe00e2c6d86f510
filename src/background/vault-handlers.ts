// The worker's answers to vault messages: status, enable, unlock, lock, change, disable.
import type { Handlers } from '../messaging/router';
import { problem } from '../core/problems';
import type { VaultStatus } from '../messaging/map';
import { forgetDeleted } from '../storage/session';
import { finishPrompt } from './prompts';
import { type State, reloadProfiles } from './state';
import { type VaultResult, changeMaster, disableVault, enableVault, unlock } from './vault';
import { lockVault, noteVaultUse } from './vault-lock';

type VaultHandlers = Pick<Handlers, 'vault/status' | 'vault/enable' | 'vault/unlock' | 'vault/lock' | 'vault/change' | 'vault/disable'>;

export function vaultStatus(s: State): VaultStatus {
  if (s.vault.damaged) return { enabled: true, unlocked: false, iterations: null, damaged: true };
  return { enabled: s.vault.meta !== null, unlocked: s.vault.key !== null, iterations: s.vault.meta?.kdf.iterations ?? null };
}

/** The vault is open: every request waiting for it, whatever its proxy, is decided again. */
export function releaseVaultPrompts(s: State): number {
  let released = 0;
  for (const p of s.prompts.list()) if (p.reason === 'vault-locked') released += finishPrompt(s, p.id, { kind: 'unlocked' });
  return released;
}

export function vaultHandlers(s: State): VaultHandlers {
  /** Every change of the vault re-reads the profiles, so matching sees passwords opened or locked. */
  const after = async (r: VaultResult, rekeyed = false) => {
    // a deleted record waiting for Undo was stored under the old key: it cannot come back under the new one
    if (r.ok && rekeyed) await forgetDeleted();
    await reloadProfiles();
    if (r.ok) await noteVaultUse(s);
    return r.ok ? { ok: true as const, value: vaultStatus(s) } : r;
  };
  return {
    'vault/status': () => vaultStatus(s),
    'vault/enable': async ({ masterPassword }) => after(await enableVault(s.vault, s.profiles, String(masterPassword ?? '')), true),
    'vault/unlock': async ({ masterPassword }) => {
      const result = await after(await unlock(s.vault, String(masterPassword ?? '')));
      if (result.ok) {
        releaseVaultPrompts(s);
        await noteVaultUse(s);
      }
      return result;
    },
    'vault/lock': async () => {
      await lockVault(s);
      return vaultStatus(s);
    },
    'vault/change': async ({ masterPassword, newMasterPassword }) =>
      after(await changeMaster(s.vault, s.profiles, String(masterPassword ?? ''), String(newMasterPassword ?? '')), true),
    'vault/disable': async ({ masterPassword }) =>
      s.policy.settings.vaultRequired === true
        ? { ok: false, problems: [problem('(root)', 'policy-vault-required')] }
        : after(await disableVault(s.vault, s.profiles, String(masterPassword ?? '')), true),
  };
}
