import { z } from "zod";

/** A web address in any common spelling: a scheme, `www.`, or a host name such as `example.com/…`. */
const webAddress = /[a-z][a-z0-9+.-]*:\/\/|\bwww\.|\b[a-z0-9-]+\.[a-z]{2,}\b/i;
// eslint-disable-next-line no-control-regex -- control characters are what it finds
const controlCharacter = /[\u0000-\u001f\u007f]/;

/**
 * A name that is written into mail others receive (an organisation's, a
 * person's): plain text of 1 to 100 characters on one line, with nothing a
 * mail client would turn into a link, so that nobody can send a phishing
 * link in our name by naming their organisation after it.
 */
export function mailableName(required: string) {
  return z
    .string()
    .trim()
    .min(1, required)
    .max(100, "At most 100 characters.")
    .refine((name) => !controlCharacter.test(name), "A name is one line of text.")
    .refine((name) => !webAddress.test(name), "A name cannot contain a web address or a link.");
}
