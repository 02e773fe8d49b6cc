import type { z } from 'zod';
import { inAttest, languageName, oneLine, quoted, reportedIn, spellDate, stop } from '../core/cite.js';
import type { Statement } from './schemas.js';

const MEDIUM: Partial<Record<string, string>> = {
  speech: 'speech',
  rally: 'rally',
  meeting: 'meeting',
  interview: 'interview',
  press_conference: 'press conference',
  press_release: 'press release',
  broadcast: 'broadcast',
  document: 'document',
};

type Shown = Partial<z.output<typeof Statement>>;

/** How it was said: "post on X", "meeting in Tehran", "press release"; null when nothing says. */
function how(s: Shown): string | null {
  if (s.kind === 'social_media_post' || s.medium === 'social_media') {
    return s.platform ? `post on ${s.platform}` : 'social media post';
  }
  const medium = (s.medium && MEDIUM[s.medium]) ?? (s.kind === 'official_statement' ? 'statement' : null);
  if (medium && s.location) return `${medium} in ${s.location}`;
  return medium ?? s.location ?? null;
}

/**
 * Who said it: the speaker, or the outlet's words for an unnamed group or an anonymous source, with
 * the organisation they belong to when it is known ("Israeli media", "A senior official (Israel)").
 */
function who(s: Shown): string | null {
  if (s.attribution === undefined || s.attribution === 'named' || !s.attributedTo) return s.speaker?.name ?? null;
  const words = s.attributedTo.charAt(0).toUpperCase() + s.attributedTo.slice(1);
  return s.speaker ? `${words} (${s.speaker.name})` : words;
}

/**
 * A statement's citation line: `Miguel Díaz-Canel, post on X, 30 March 2024: “…” (Spanish original:
 * “…”) Reported by The Palestine Chronicle, “…”, March 2024. Attest statement <id>, revision 1,
 * <permalink>.` A paraphrase is not set in quotation marks: they would make it his words.
 */
export function citeStatement(s: Shown, revision: number, permalink: string): string {
  const paraphrase = s.kind === 'paraphrase';
  const words = (text: string) => (paraphrase ? oneLine(text) : quoted(text));
  const lead = [who(s), how(s), spellDate(s.saidOn)].filter(Boolean).join(', ');
  let said = `${lead}${paraphrase ? `${lead ? ', ' : ''}paraphrased` : ''}: ${words(s.text ?? '')}`;
  if (s.originalText) {
    const language = s.originalLanguage ? `${languageName(s.originalLanguage)} original` : 'Original';
    said += ` (${language}: ${words(s.originalText)})`;
  }
  // The stop goes after the quotation mark unless the words already ended their sentence.
  const last = oneLine(s.originalText ?? s.text ?? '');
  return [
    stop(last) === last ? said : `${said}.`,
    reportedIn(s.citations),
    inAttest('statement', s.id ?? '', revision, permalink),
  ]
    .filter(Boolean)
    .join(' ');
}
