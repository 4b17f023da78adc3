import { ImageRawBase, type ImageRawData, type SizeOption } from "@gutenye/ocr-common";
import sharp, { type Sharp } from "sharp";

const raw = (image: ImageRawData) => ({ raw: { width: image.width, height: image.height, channels: 4 as const } });

async function toRgba(pipeline: Sharp): Promise<ImageRawData> {
  const { data, info } = await pipeline.ensureAlpha(1).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * The RGBA image that @gutenye/ocr-common's pipeline works on, backed by
 * sharp (as its Node backend is). `open` also takes an image we decoded
 * already, so each upload is decoded once.
 */
export class SharpImage extends ImageRawBase {
  static async open(input: SharpImage | Buffer): Promise<SharpImage> {
    return input instanceof SharpImage ? input : new SharpImage(await toRgba(sharp(input)));
  }

  /**
   * Decodes an upload (honouring EXIF orientation), shrunk to fit `maxSide`
   * if larger; `scale` maps its coordinates back to the original's.
   */
  static async decode(bytes: Uint8Array, maxSide: number) {
    const pipeline = sharp(bytes, { limitInputPixels: 64_000_000 });
    const { autoOrient } = await pipeline.metadata();
    const image = await toRgba(
      pipeline.autoOrient().resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true }),
    );
    return { image: new SharpImage(image), scale: autoOrient.width / image.width };
  }

  async resize(size: SizeOption) {
    const resized = await toRgba(
      sharp(this.data, raw(this)).resize({ width: size.width, height: size.height, fit: size.fit ?? "contain" }),
    );
    this.data = resized.data;
    this.width = resized.width;
    this.height = resized.height;
    return this;
  }
}
