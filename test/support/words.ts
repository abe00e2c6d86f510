// Codes put into English words for assertions (imports the pages' renderer, so not for fake-browser.ts).
import type { Problem } from '../../src/core/problems';
import { problemText } from '../../src/ui/components/codes-text';
import { catalog } from './locales';

/** A problem as an English reader sees it; a code with no message comes back as its key, which tests refuse. */
export const enProblem = (p: Problem): string => problemText(p, catalog('en'));
