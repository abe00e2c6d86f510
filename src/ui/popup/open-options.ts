// Opens options.html (history and settings) in a tab, then closes the popup.
import browser from 'webextension-polyfill';

export async function openOptions(): Promise<void> {
  await browser.runtime.openOptionsPage();
  window.close();
}
