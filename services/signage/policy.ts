import { UrbanflowError } from '../../core/errors/index.js';
import { parseMulti, validateMulti, type SignFace } from '../../core/multi/index.js';

/**
 * Checks every human-written message passes: MULTI valid on the sign (errors with positions)
 * and no banned word. Both refusals carry stable codes the operator console switches on.
 */
export function checkMulti(multi: string, face: SignFace, bannedWords: readonly string[], timeZone: string): void {
  const errors = validateMulti(multi, face, { now: Date.now(), timeZone, temperatureC: 0, speedKmh: 0 });
  if (errors.length) {
    const first = errors[0];
    throw new UrbanflowError('INVALID_MULTI', `multi: ${first.code} at ${first.position}: ${first.message}`, { field: 'multi', details: { errors } });
  }
  checkBanned(multi, bannedWords);
}

export function checkBanned(multi: string, bannedWords: readonly string[]): void {
  // words as the sign shows them: text runs only, tags dropped
  const { tokens } = parseMulti(multi);
  for (const t of tokens) {
    const text = t.kind === 'text' ? t.text : t.kind === 'mv' ? t.text : '';
    if (!text) continue;
    for (const word of bannedWords) {
      const re = new RegExp(`(^|[^A-Za-z0-9])${word.replace(/[^A-Za-z0-9]/g, '')}($|[^A-Za-z0-9])`, 'i');
      const m = re.exec(text);
      if (m) {
        throw new UrbanflowError('BANNED_WORD', `multi contains a banned word at ${t.pos + m.index + m[1].length}`, {
          field: 'multi',
          details: { word: word.toUpperCase(), position: t.pos + m.index + m[1].length },
        });
      }
    }
  }
}

/** Sliding-window limit of message changes per user. */
export function createRateLimiter(max: number, windowMs: number, now: () => number) {
  const hits = new Map<string, number[]>();
  return {
    take(user: string): void {
      const t = now();
      const list = (hits.get(user) ?? []).filter((x) => x > t - windowMs);
      if (list.length >= max) {
        hits.set(user, list);
        throw new UrbanflowError('RATE_LIMITED', `at most ${max} message changes per ${Math.round(windowMs / 1000)} s per user`, { field: 'user', retryable: true });
      }
      list.push(t);
      hits.set(user, list);
    },
  };
}
