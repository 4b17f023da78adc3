import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { InferenceInputError } from "../../errors.ts";
import { helloWorldPng, testSessionOptions, zooModel } from "../../testing/zoo.ts";
import { OcrModel, type OcrResult } from "./ocr-model.ts";

let alone: OcrModel;
let batched: OcrModel;
let png: Buffer;

const render = (text: string, width: number, height: number) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>` +
        `<text x="20" y="${height / 2 + 14}" font-family="DejaVu Serif" font-size="40" fill="black">${text}</text></svg>`,
    ),
  )
    .png()
    .toBuffer();

beforeAll(async () => {
  const folder = await zooModel("paddleocr-v4");
  alone = await OcrModel.load(folder, testSessionOptions, { maxBatchSize: 1, maxWaitMs: 0 });
  // A generous wait, so that lines of concurrent requests meet even on a loaded machine.
  batched = await OcrModel.load(folder, testSessionOptions, { maxBatchSize: 16, maxWaitMs: 250 });
  png = await helloWorldPng();
}, 60_000);

describe("PaddleOCR v4 (real pretrained model)", () => {
  it('reads the rendered "Hello World 2025", with its box in image pixels', async () => {
    const result = await alone.read(png);
    expect(result.text).toBe("Hello World 2025");
    expect(result).toMatchObject({ width: 640, height: 140 });
    const [line] = result.lines;
    expect(line?.confidence).toBeGreaterThan(0.9);
    // The text was drawn from x=28 with its baseline at y=86, 48 px high.
    const xs = line?.box.map(([x]) => x) ?? [];
    const ys = line?.box.map(([, y]) => y) ?? [];
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(15);
    expect(Math.min(...xs)).toBeLessThanOrEqual(35);
    expect(Math.max(...xs)).toBeLessThanOrEqual(470);
    expect(Math.min(...ys)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...ys)).toBeLessThanOrEqual(100);
  });

  it("reads a JPEG, and a large image in the original's coordinates", async () => {
    const jpeg = await sharp(png).jpeg({ quality: 90 }).toBuffer();
    expect((await alone.read(jpeg)).text).toBe("Hello World 2025");
    const large = await sharp(png).resize({ width: 3200 }).png().toBuffer();
    const result = await alone.read(large);
    expect(result.text).toBe("Hello World 2025");
    expect(result.width).toBe(3200);
    expect(Math.max(...(result.lines[0]?.box.map(([x]) => x) ?? []))).toBeGreaterThan(1800);
  });

  it("gives the same lines batched as alone, for images of different sizes", async () => {
    const images = [png, await render("The LORD is my shepherd", 640, 100), await render("OK 42", 200, 80), png];
    const one: OcrResult[] = [];
    for (const image of images) one.push(await alone.read(image));
    const together = await Promise.all(images.map((image) => batched.read(image)));
    expect(together).toEqual(one);
    expect(one[1]?.text).toBe("The LORD is my shepherd");
    expect(batched.recognizer.batcher.stats.largest).toBeGreaterThan(1);
    expect(batched.detector.batcher.stats.largest).toBe(2);
  });

  it("refuses what is not an image, naming the formats it takes", async () => {
    const error = await alone.read(Buffer.from("definitely not a PNG")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InferenceInputError);
    expect(error).toMatchObject({ code: "invalid_image", param: "image" });
    expect((error as Error).message).toMatch(/^The image could not be decoded \(.+\)\. Send a PNG, JPEG/);
  });

  it("finds no lines on a blank page", async () => {
    const blank = await sharp({ create: { width: 200, height: 100, channels: 3, background: "white" } })
      .png()
      .toBuffer();
    expect(await alone.read(blank)).toEqual({ text: "", lines: [], width: 200, height: 100 });
  });
});
