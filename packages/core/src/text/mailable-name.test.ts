import { describe, expect, it } from "vitest";
import { mailableName } from "./mailable-name.ts";

const name = mailableName("Give it a name.");
const refusal = (value: string) => name.safeParse(value).error?.issues[0]?.message;

describe("a name that goes into mail", () => {
  it("takes plain names, trimmed", () => {
    for (const plain of ["Acme Research", "Ada Lovelace", "St. Louis Inc.", "R&D — Team 2", "Ñandú S.A."]) {
      expect(name.parse(` ${plain} `)).toBe(plain);
    }
  });

  it("refuses what a mail client would make a link, and more than one line", () => {
    for (const link of [
      "Click https://evil.example/reset",
      "www.evil-bank",
      "Verify at evil.com now",
      "support.acme.io",
      "javascript://x",
    ]) {
      expect(refusal(link), link).toBe("A name cannot contain a web address or a link.");
    }
    expect(refusal("Acme\nYour password expired")).toBe("A name is one line of text.");
    expect(refusal("   ")).toBe("Give it a name.");
    expect(refusal("x".repeat(101))).toBe("At most 100 characters.");
  });
});
