"use client";
import { useState, type DragEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Table, Td, Th } from "@/components/ui/table.tsx";
import { cn } from "@/lib/cn.ts";
import { describeGatewayError, postJson, withPlaygroundKey } from "./gateway-client.ts";
import type { PanelProps } from "./panel-props.ts";

/** The gateway's `POST /v1/ocr` answer. */
interface OcrResult {
  text: string;
  width: number;
  height: number;
  lines: { text: string; confidence: number; box: [number, number][] }[];
  usage?: { images: number };
}

const MAX_BYTES = 10 * 1024 * 1024;

const readAsDataUrl = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      typeof reader.result === "string" ? resolve(reader.result) : reject(new Error("unreadable"));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsDataURL(file);
  });

/** Reads the text of an image dropped or chosen here. */
export function OcrPanel({ model, gatewayUrl, getKey }: PanelProps) {
  const [image, setImage] = useState<{ name: string; url: string } | null>(null);
  const [dragging, setDragging] = useState(false);
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<OcrResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function recognise(file: File | undefined) {
    if (!file) return;
    setError(null);
    setResult(null);
    if (!file.type.startsWith("image/")) return setError(`${file.name} is not an image.`);
    if (file.size > MAX_BYTES) return setError(`${file.name} is larger than 10 MB.`);
    setPending(true);
    try {
      const url = await readAsDataUrl(file);
      setImage({ name: file.name, url });
      setResult(
        await withPlaygroundKey(getKey, (apiKey) =>
          postJson<OcrResult>(gatewayUrl, apiKey, "/v1/ocr", { model, image: url }),
        ),
      );
    } catch (caught) {
      setError(describeGatewayError(caught, gatewayUrl));
    } finally {
      setPending(false);
    }
  }

  const onDrop = (event: DragEvent<HTMLLabelElement>) => {
    event.preventDefault();
    setDragging(false);
    void recognise(event.dataTransfer.files[0]);
  };

  return (
    <div className="space-y-4">
      <label
        htmlFor="playground-image"
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={cn(
          "flex cursor-pointer flex-col items-center justify-center gap-1 rounded-md border-2 border-dashed px-4 py-8 text-center text-sm",
          dragging ? "border-indigo-500 bg-indigo-50" : "border-zinc-300 bg-zinc-50 hover:bg-zinc-100",
        )}
      >
        <span className="font-medium">{pending ? "Reading…" : "Drop an image here, or choose one"}</span>
        <span className="text-xs text-zinc-500">PNG, JPEG or WebP, up to 10 MB</span>
        <input
          id="playground-image"
          type="file"
          accept="image/*"
          className="sr-only"
          aria-label="Image to read"
          disabled={pending}
          onChange={(event) => {
            void recognise(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
      </label>
      {error && <Alert tone="error">{error}</Alert>}
      {image && (
        // A data: URL of the person's own file: next/image has nothing to optimise.
        <img src={image.url} alt={image.name} className="max-h-64 rounded border border-zinc-200" />
      )}
      {result && (
        <section aria-label="Recognised text" className="space-y-3 text-sm">
          <p className="text-xs text-zinc-500">
            {result.width} × {result.height} px · {result.lines.length} line{result.lines.length === 1 ? "" : "s"}
          </p>
          <pre className="overflow-x-auto rounded bg-zinc-50 p-3 font-mono text-xs whitespace-pre-wrap">
            {result.text || "(no text found)"}
          </pre>
          {result.lines.length > 0 && (
            <Table>
              <thead>
                <tr>
                  <Th>Line</Th>
                  <Th className="text-right">Confidence</Th>
                </tr>
              </thead>
              <tbody>
                {result.lines.map((line, index) => (
                  <tr key={index}>
                    <Td>{line.text}</Td>
                    <Td className="text-right tabular-nums">{(line.confidence * 100).toFixed(1)}%</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </section>
      )}
    </div>
  );
}
