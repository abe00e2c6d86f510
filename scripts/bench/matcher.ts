// Figure 4: time of one matchProfile call against 10 / 1,000 / 10,000 saved profiles (in Node, no browser), and how it grows.
import { buildIndex, matchProfile } from '../../src/core/match';
import type { Challenge, Profile } from '../../src/core/model';
import { type Figure, atMost, info, percentile, ratio, round } from './stats';

const GROUP = 'matcher';
export const SIZES = [10, 1_000, 10_000] as const;

export interface MatcherOptions {
  sizes?: readonly number[];
  /** Timed matches per size. */
  samples: number;
}

export interface MatcherSize {
  profiles: number;
  p50us: number;
  p99us: number;
  buildIndexMs: number;
  /** How many of the timed challenges found a profile (a sanity check that hits and misses are mixed). */
  hitRate: number;
  /** Median cost of the timer itself, included in p50/p99. */
  timerUs: number;
}

/** A deterministic generator, so every run times the same profiles and challenges. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * A company-sized mix: proxies on a few dozen domains, usually several accounts per proxy (a default
 * among them, realms named or "any"), and one profile in 20 on a wildcard host.
 */
export function makeProfiles(n: number, rand = lcg(n)): Profile[] {
  const proxies = Math.max(1, Math.floor(n / 3));
  const out: Profile[] = [];
  for (let i = 0; i < n; i++) {
    const proxy = Math.floor(rand() * proxies);
    const domain = `corp${proxy % 40}.example`;
    const wildcard = rand() < 0.05;
    const realmPick = rand();
    out.push({
      id: `p${i}`,
      name: `Profile ${i}`,
      proxy: { host: wildcard ? `*.${domain}` : `proxy-${proxy}.${domain}`, port: 3128 + (proxy % 7) },
      realm: realmPick < 0.5 ? `Realm ${proxy % 5}` : realmPick < 0.8 ? null : `Other ${i % 3}`,
      scheme: rand() < 0.7 ? 'basic' : rand() < 0.5 ? 'digest' : 'any',
      username: `user${i}`,
      password: `secret-${i}`,
      isDefault: rand() < 0.3,
      createdAt: 1_700_000_000_000 + i,
      updatedAt: 1_700_000_000_000 + i,
      lastUsedAt: rand() < 0.5 ? 1_700_000_000_000 + Math.floor(rand() * 1e9) : null,
    });
  }
  return out;
}

/** Challenges as they arrive: mostly for a saved proxy, some only a wildcard covers, some for nothing saved. */
export function makeChallenges(profiles: readonly Profile[], count: number, rand = lcg(count + profiles.length)): Challenge[] {
  const proxies = Math.max(1, Math.floor(profiles.length / 3));
  const out: Challenge[] = [];
  for (let i = 0; i < count; i++) {
    const proxy = Math.floor(rand() * proxies);
    const domain = `corp${proxy % 40}.example`;
    const kind = rand();
    const host = kind < 0.7 ? `proxy-${proxy}.${domain}` : kind < 0.9 ? `edge-${i % 100}.site.${domain}` : `elsewhere-${i}.example.net`;
    out.push({
      requestId: `r${i}`,
      url: `http://127.0.0.1/page/${i}`,
      tabId: 1,
      challenger: { host: rand() < 0.1 ? host.toUpperCase() : host, port: 3128 + (proxy % 7) },
      realm: rand() < 0.8 ? `Realm ${proxy % 5}` : 'Unknown realm',
      scheme: rand() < 0.8 ? 'basic' : 'digest',
      isProxy: true,
    });
  }
  return out;
}

/** Times every call on its own with process.hrtime.bigint; warms the JIT first with the same calls. */
export function measureSize(n: number, samples: number): MatcherSize {
  const profiles = makeProfiles(n);
  const b0 = process.hrtime.bigint();
  const index = buildIndex(profiles);
  const buildIndexMs = Number(process.hrtime.bigint() - b0) / 1e6;
  const challenges = makeChallenges(profiles, samples);
  let hits = 0;
  for (const c of challenges) if (matchProfile(index, c)) hits++;
  const times = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const c = challenges[i] as Challenge;
    const t0 = process.hrtime.bigint();
    matchProfile(index, c);
    times[i] = Number(process.hrtime.bigint() - t0);
  }
  const ns = Array.from(times);
  return { profiles: n, p50us: percentile(ns, 50) / 1000, p99us: percentile(ns, 99) / 1000, buildIndexMs, hitRate: hits / samples, timerUs: timerOverheadUs() };
}

/** What two back-to-back hrtime.bigint() readings cost: included in every timed match. */
function timerOverheadUs(): number {
  const ns: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t0 = process.hrtime.bigint();
    ns.push(Number(process.hrtime.bigint() - t0));
  }
  return percentile(ns, 50) / 1000;
}

export function benchMatcher(o: MatcherOptions): { figures: Figure[]; sizes: MatcherSize[] } {
  const sizes = (o.sizes ?? SIZES).map((n) => measureSize(n, o.samples));
  const figures: Figure[] = [];
  for (const s of sizes) {
    const note = `p50 ${round(s.p50us)} µs; buildIndex ${round(s.buildIndexMs)} ms; ${Math.round(s.hitRate * 100)}% of ${o.samples} challenges matched; timer ${round(s.timerUs)} µs included`;
    const name = `p99 per match, ${s.profiles.toLocaleString('en')} profiles`;
    figures.push(s.profiles === 10_000 ? atMost(GROUP, name, s.p99us, 'µs', 100, note) : info(GROUP, name, s.p99us, 'µs', note));
  }
  const smallest = sizes[0];
  const largest = sizes[sizes.length - 1];
  if (smallest && largest && largest !== smallest) {
    figures.push(
      info(
        GROUP,
        `growth of p50, ${smallest.profiles} → ${largest.profiles.toLocaleString('en')} profiles`,
        ratio(largest.p50us, smallest.p50us),
        '×',
        `${round(smallest.p50us)} → ${round(largest.p50us)} µs for ${largest.profiles / smallest.profiles}× the profiles (flat = indexed lookup)`,
      ),
    );
  }
  return { figures, sizes };
}
