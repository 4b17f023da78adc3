import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { open, seal, sealedKeyId } from "./envelope.ts";
import { parseMasterKeys } from "./master-keys.ts";

const key = { id: "dk_1", key: randomBytes(32) };
const other = { id: "dk_1", key: randomBytes(32) };

describe("envelope encryption", () => {
  it("round-trips and names its key, and hides the plaintext", () => {
    const sealed = seal(key, Buffer.from("the secret prompt"), "ten_a:req_1:input");
    expect(sealedKeyId(sealed)).toBe("dk_1");
    expect(sealed.includes(Buffer.from("secret"))).toBe(false);
    expect(open(key, sealed, "ten_a:req_1:input").toString()).toBe("the secret prompt");
  });

  it("refuses another key, another context and a flipped bit", () => {
    const sealed = seal(key, Buffer.from("x"), "ten_a:req_1:input");
    expect(() => open(other, sealed, "ten_a:req_1:input")).toThrow(/does not open/);
    expect(() => open(key, sealed, "ten_b:req_1:input")).toThrow(/does not open/);
    const flipped = Buffer.from(sealed);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    expect(() => open(key, flipped, "ten_a:req_1:input")).toThrow(/does not open/);
    expect(() => open({ id: "dk_2", key: key.key }, sealed, "ten_a:req_1:input")).toThrow(/sealed with key dk_1/);
    expect(() => sealedKeyId(Buffer.from("junk"))).toThrow(/not a sealed payload/);
  });

  it("uses a fresh IV every time", () => {
    expect(seal(key, Buffer.from("same"), "a").equals(seal(key, Buffer.from("same"), "a"))).toBe(false);
  });
});

describe("parseMasterKeys", () => {
  const b64 = () => randomBytes(32).toString("base64");

  it("takes the first as current and keeps the others for unwrapping", () => {
    const keys = parseMasterKeys(`mk2:${b64()}, mk1:${b64()}`);
    expect(keys.current.id).toBe("mk2");
    expect([...keys.byId.keys()]).toEqual(["mk2", "mk1"]);
  });

  it("explains what is wrong", () => {
    expect(() => parseMasterKeys("")).toThrow("at least one master key is needed");
    expect(() => parseMasterKeys("nocolon")).toThrow("expected id:base64key entries");
    expect(() => parseMasterKeys(`mk1:${randomBytes(16).toString("base64")}`)).toThrow("must be 32 bytes");
    const k = b64();
    expect(() => parseMasterKeys(`mk1:${k},mk1:${k}`)).toThrow("given twice");
  });
});
