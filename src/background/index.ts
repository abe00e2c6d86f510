// The worker entry: registers every listener synchronously at top level, and nothing else.
import browser from 'webextension-polyfill';
import { createRouter } from '../messaging/router';
import { onAuthRequired } from './auth-listener';
import { poolOf } from '../core/in-flight';
import { inFlight } from './in-flight-tracker';
import { noteOffered } from './offered';
import { recoverOrphans } from './orphans';
import { isWatchdog } from './watchdog';
import { handlers } from './handlers';
import { registerUnanswered407 } from './unanswered-407';
import { noteRequest, reloadStartupTabs } from './startup-tabs';
import { noteResponse, settleCompleted, settleError } from './outcomes';
import { endsUnheard, noteEnded, noteSent } from './unheard-ends';
import { scheduleRetention } from './retention';
import { ready, reloadPolicy, reloadProfiles, reloadSettings, whenLoaded, withState } from './state';
import { PROFILE_PREFIX } from '../storage/profiles';
import { SETTINGS_KEY } from '../storage/settings';
import { refreshStartImage } from '../storage/start-image';
import { AUTO_LOCK_ALARM, onAutoLockAlarm } from './vault-lock';

const ALL = { urls: ['<all_urls>'] };

// The polyfill does not wrap onAuthRequired's callback form, so this one listener uses the raw API.
chrome.webRequest.onAuthRequired.addListener(
  onAuthRequired as unknown as Parameters<typeof chrome.webRequest.onAuthRequired.addListener>[0],
  ALL,
  ['asyncBlocking'],
);

// 407s that never reached onAuthRequired: before the request endings below, which stop tracking a request.
registerUnanswered407(ALL);

// Requests starting: heard before any of their challenges or responses (core/in-flight.ts: the breaker's ordering).
browser.webRequest.onBeforeRequest.addListener((d) => inFlight.sent(String(d.requestId), poolOf(d)), ALL);
// Request endings: only requests we are tracking matter; the state is awaited only if we were woken for them.
browser.webRequest.onSendHeaders.addListener((d) => {
  inFlight.sent(String(d.requestId), poolOf(d));
  noteSent(String(d.requestId));
  noteRequest(d);
}, ALL);
browser.webRequest.onHeadersReceived.addListener(
  (d) => {
    const id = String(d.requestId);
    inFlight.responded(id, d.statusCode);
    if (d.statusCode === 407) noteOffered(id, d.responseHeaders);
    // a request that began before we listened (Firefox at browser start) never reports its end: this response settles it
    const settleNow = d.statusCode !== 407 && endsUnheard(id);
    withState((s) => {
      noteResponse(s, id, d.statusCode);
      if (settleNow) settleCompleted(s, id, d.statusCode);
    });
  },
  ALL,
  ['responseHeaders'],
);
browser.webRequest.onCompleted.addListener((d) => {
  inFlight.arrived(String(d.requestId));
  noteEnded(String(d.requestId));
  withState((s) => settleCompleted(s, String(d.requestId), d.statusCode));
}, ALL);
browser.webRequest.onErrorOccurred.addListener((d) => {
  inFlight.arrived(String(d.requestId));
  noteEnded(String(d.requestId));
  withState((s) => settleError(s, String(d.requestId), d.error));
}, ALL);

browser.runtime.onMessage.addListener(createRouter(handlers, browser.runtime.id) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);

browser.storage.onChanged.addListener((changes, area) => {
  // the copy a stopped worker starts from (storage/start-image.ts) follows every change of what it copies
  if (area === 'local' || area === 'sync' || area === 'managed') void refreshStartImage();
  if (area === 'local' && Object.keys(changes).some((k) => k.startsWith(PROFILE_PREFIX))) void reloadProfiles();
  if (area === 'sync' && SETTINGS_KEY in changes) void reloadSettings();
  // the browser re-read its policy: applied without a restart
  if (area === 'managed') void reloadPolicy();
});

// Browser start, install, update: tabs whose page met the proxy before we listened went to the native dialog; load them again.
browser.runtime.onStartup.addListener(() => void reloadStartupTabs());
browser.runtime.onInstalled.addListener(() => void reloadStartupTabs());

// While requests wait on a prompt, this alarm restarts a worker that was killed, so ready() can free them.
browser.alarms.onAlarm.addListener((alarm) => {
  if (isWatchdog(alarm.name)) void ready();
  if (alarm.name === AUTO_LOCK_ALARM) void ready().then((s) => onAutoLockAlarm(s));
});

// Each time the state loads (whatever woke the worker): free requests a killed worker left parked, then prune history.
whenLoaded((s) => {
  void recoverOrphans(s).catch(() => {});
  scheduleRetention(s, true);
});
