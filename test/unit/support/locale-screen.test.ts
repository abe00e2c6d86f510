// The S21 check itself: it finds English catalogue messages in shown text, and leaves alone what the target language shares.
import { describe, expect, it } from 'vitest';
import { englishIn, messagePattern } from '../../support/locale-screen';
import { messagesOf } from '../../support/locales';

const en = messagesOf('en');
const de = messagesOf('de');
const keys = (text: string, target = de) => englishIn(text, target, en).map((l) => l.key);

describe('englishIn', () => {
  it('finds an English message with its placeholders filled, in any case', () => {
    expect(keys('Büro\nSign in to proxy 127.0.0.1:3128\nfoo')).toContain('promptTitle');
    expect(keys('ADD PROFILE')).toContain('addProfile');
    expect(keys('3 requests are waiting.')).toContain('waitingMany');
  });

  it('leaves alone what both languages share, words inside codes, and messages that are only placeholders', () => {
    expect(keys('OK\nProxy\nNTLM\nRealm')).toEqual([]);
    expect(keys('prompt-cancelled')).toEqual([]);
    expect(keys('„Büro“\n2 Abgelehnt')).toEqual([]);
    // "Export $FORMAT$" needs its format on the same line
    expect(keys('Sprache des Exports\nexport\nCSV')).toEqual([]);
    // the German plural "Profile" is English "Profile": the screen cannot tell them apart
    expect(keys('Profile')).toEqual([]);
  });

  it('a placeholder stands for some text on one line, a space for spaces on that line', () => {
    const p = messagePattern(en.promptTitle!.message)!;
    expect(p.test('Sign in to proxy')).toBe(false);
    expect(p.test('Sign in to\nproxy x')).toBe(false);
    expect(p.test('Sign  in to proxy x')).toBe(true);
    expect(messagePattern(en.quoted!.message)).toBeNull();
  });
});
