// Fake history for the scale test, the benchmark and screenshots: realistic rows generated and bulk-put inside an extension page.
import type { ExtensionPage } from './ui-page';

export interface SeedOptions {
  count: number;
  /** The newest row's time (ms); rows spread back over spanMs. */
  now: number;
  spanMs?: number;
}

/**
 * Generates `count` rows in the page itself (no 40 MB trip through the test protocol) and puts them
 * into the extension's history database in one transaction. Everything the generator needs is inside
 * the function: Playwright and puppeteer send only its source.
 */
export async function seedHistory(page: Pick<ExtensionPage, 'evaluate'>, opts: SeedOptions): Promise<void> {
  await page.evaluate(async ({ count, now, spanMs }) => {
    const sites = ['intranet.corp.example', 'wiki.corp.example', 'news.example.com', 'shop.example.org', 'mail.example.net', 'api.partner.example', 'cdn.example.com', 'docs.example.io'];
    const proxies = [
      { host: 'proxy.corp.example', port: 3128, realm: 'Corp Proxy', profile: 'Work' },
      { host: 'proxy.corp.example', port: 8080, realm: 'Lab Proxy', profile: null },
      { host: '10.0.0.5', port: 3128, realm: 'Branch', profile: 'Branch office' },
    ];
    const plan: [string, string, number][] = [
      ['answered-saved', 'ok', 70],
      ['answered-prompt', 'ok', 8],
      ['answered-saved', 'rejected', 5],
      ['breaker-open', 'cancelled', 4],
      ['prompt-cancelled', 'cancelled', 5],
      ['prompt-timeout', 'cancelled', 2],
      ['answered-saved', 'failed', 3],
      ['no-match-pass-through', 'ok', 2],
      ['unsupported-scheme', 'failed', 1],
    ];
    const total = plan.reduce((a, [, , w]) => a + w, 0);
    // no named helper functions in here: the test runner's transform would wrap them in a helper the page lacks
    let seed = 42;
    const rows: unknown[] = [];
    for (let i = 0; i < count; i++) {
      const [r0 = 0, r1 = 0, r2 = 0, r3 = 0] = [0, 0, 0, 0].map(() => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
      let pick = r0 * total;
      const [decision, outcome] = plan.find(([, , w]) => (pick -= w) < 0) ?? plan[0]!;
      const proxy = proxies[Math.floor(r1 * proxies.length)]!;
      const site = sites[Math.floor(r2 * sites.length)]!;
      const saved = (decision === 'answered-saved' || decision === 'breaker-open') && proxy.profile !== null;
      const ntlm = decision === 'unsupported-scheme';
      rows.push({
        id: `seed-${i}`,
        at: Math.round(now - (i / count) * spanMs - r3 * 1000),
        requestId: String(100_000 + i),
        url: `https://${site}/page/${i % 997}`,
        tabId: 1 + (i % 7),
        challenger: { host: proxy.host, port: proxy.port },
        realm: ntlm ? null : proxy.realm,
        scheme: ntlm ? 'ntlm' : 'basic',
        profileId: saved ? `profile-${proxy.port}` : null,
        profileName: saved ? proxy.profile : null,
        decision: saved || decision !== 'answered-saved' ? decision : 'answered-prompt',
        outcome,
        attempts: outcome === 'rejected' ? 2 : 1,
        diagnosis: [],
        ...(outcome === 'failed' && !ntlm ? { error: 'net::ERR_CONNECTION_RESET' } : {}),
      });
    }
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      // whatever version the worker made; should it not have opened it yet, the first version of
      // src/storage/history.ts's schema, which the worker upgrades when it opens it
      const req = indexedDB.open('proxy-auth-keeper-history');
      req.onupgradeneeded = () => req.result.createObjectStore('entries', { keyPath: 'id' }).createIndex('at', 'at');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    await new Promise<void>((resolve, reject) => {
      const tx = db.transaction('entries', 'readwrite');
      const store = tx.objectStore('entries');
      for (const row of rows) store.put(row);
      tx.oncomplete = () => resolve();
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, { count: opts.count, now: opts.now, spanMs: opts.spanMs ?? 6 * 86_400_000 });
}
