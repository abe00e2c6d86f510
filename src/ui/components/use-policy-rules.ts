// The organisation's policy rules for the pages (no profiles of the user's own, no password export, vault required).
import { useEffect, useState } from 'preact/hooks';
import type { PolicyRules } from '../../core/managed-policy';
import { send } from '../../messaging/send';

/** null until the worker answered (or when it cannot): the pages then offer everything and the worker still refuses. */
export function usePolicyRules(): PolicyRules | null {
  const [rules, setRules] = useState<PolicyRules | null>(null);
  useEffect(() => {
    send('settings/get').then(
      (s) => setRules(s.rules),
      () => {},
    );
  }, []);
  return rules;
}
