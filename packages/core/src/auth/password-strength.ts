import type { ZxcvbnFactory } from "@zxcvbn-ts/core";

/** Passwords are at least this long (ASVS 2.1.1). */
export const MIN_PASSWORD_LENGTH = 12;

/**
 * zxcvbn's score a password must reach: 3 means about 10^8 guesses or more.
 * Lower scores are breached or common passwords (zxcvbn's lists come from
 * leaked password sets), their l33t and repeated variants, keyboard walks and
 * dates: ASVS 2.1.7, offline.
 */
export const MIN_PASSWORD_SCORE = 3;

export interface PasswordVerdict {
  /** 0 (guessed at once) to 4 (very hard to guess). */
  score: 0 | 1 | 2 | 3 | 4;
  /** Why a weak password is weak, and what would help; empty for a good one. */
  advice: string;
  /** The message that refuses it, or null when it is good enough. */
  refusal: string | null;
}

let estimator: Promise<ZxcvbnFactory> | undefined;

/** The dictionaries are large: loaded on first use, in the browser only where a password is chosen. */
function passwordEstimator(): Promise<ZxcvbnFactory> {
  estimator ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import("@zxcvbn-ts/core"),
      import("@zxcvbn-ts/language-common"),
      import("@zxcvbn-ts/language-en"),
    ]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
  })();
  return estimator;
}

/**
 * How guessable a new password is, counting what the person typed elsewhere
 * (their email, name) as known to an attacker. The server refuses what is
 * not acceptable; the console shows the same verdict as a meter.
 */
export async function judgePassword(password: string, knownToAttackers: string[] = []): Promise<PasswordVerdict> {
  if (password.length < MIN_PASSWORD_LENGTH) {
    const advice = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
    return { score: 0, advice, refusal: `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.` };
  }
  const result = (await passwordEstimator()).check(password, knownToAttackers.filter(Boolean));
  if (result.score >= MIN_PASSWORD_SCORE) return { score: result.score, advice: "", refusal: null };
  const advice =
    [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ") ||
    "Add more words or characters that are hard to guess.";
  return { score: result.score, advice, refusal: `This password is too easy to guess. ${advice}` };
}
