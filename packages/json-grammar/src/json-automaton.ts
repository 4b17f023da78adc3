import type { GrammarNode } from "./compile-schema.ts";

type ObjectNode = Extract<GrammarNode, { kind: "object" }>;
type ArrayNode = Extract<GrammarNode, { kind: "array" }>;
type StringNode = Extract<GrammarNode, { kind: "string" }>;
type NumberPhase = "start" | "minus" | "zero" | "int" | "dot" | "frac" | "e" | "sign" | "exp";

/** What is open, innermost first. Frames are never changed: a step makes new ones, so states can be shared. */
type Frame =
  | { t: "value"; node: GrammarNode }
  | { t: "literal"; texts: readonly string[]; pos: number }
  /** In a string, after its quote; `escape` 1 after a backslash, 2–5 in a \u escape's four digits. */
  | { t: "string"; node: StringNode; length: number; escape: number }
  /** `digits` in the current part, bounded so that every number parses to a finite one (at most 15, exponents 2). */
  | { t: "number"; integer: boolean; phase: NumberPhase; digits: number }
  /** The next property to write (its separator, key and colon, then its value), or the closing brace. */
  | { t: "object"; node: ObjectNode; next: number }
  | { t: "anyObject"; phase: "open" | "key" | "colon" | "after" }
  | { t: "array"; node: ArrayNode; count: number; phase: "open" | "next" | "after" };

interface Stack {
  frame: Frame;
  below: Stack | null;
}

/**
 * Where a document is: `null` once it is whole (nothing may follow), else the
 * open frames. `advance` gives the state after one more character, or
 * `undefined` when that character cannot continue a valid document.
 */
export type GrammarState = Stack | null;

const push = (frame: Frame, below: Stack | null): Stack => ({ frame, below });

const STRING_ANY: StringNode = { kind: "string", minLength: 0, maxLength: Infinity, min: 2, first: new Set(['"']) };
const ANY_ARRAY_MIN = 2;
const COMPLETE_NUMBER = new Set<NumberPhase>(["zero", "int", "frac", "exp"]);
const DIGIT = /^[0-9]$/;
const HEX = /^[0-9a-fA-F]$/;

export const startState = (root: GrammarNode): GrammarState => push({ t: "value", node: root }, null);

/** The state after `text`, or `undefined` when it leaves the grammar. */
export function advanceText(state: GrammarState | undefined, text: string): GrammarState | undefined {
  let current = state;
  for (const char of text) {
    if (current === undefined) return undefined;
    current = advance(current, char);
  }
  return current;
}

export function advance(state: GrammarState, char: string): GrammarState | undefined {
  if (state === null) return undefined;
  const { frame, below } = state;
  switch (frame.t) {
    case "value":
      return enter(frame.node, below, char);
    case "literal": {
      const texts = frame.texts.filter((text) => text[frame.pos] === char);
      if (texts.length === 0)
        return frame.texts.some((text) => text.length === frame.pos) ? advance(below, char) : undefined;
      const pos = frame.pos + 1;
      return texts.every((text) => text.length === pos) ? below : push({ t: "literal", texts, pos }, below);
    }
    case "string":
      return stringStep(frame, below, char);
    case "number":
      return numberStep(frame, below, char);
    case "object": {
      const property = frame.node.properties[frame.next];
      const next = push({ ...frame, next: frame.next + 1 }, below);
      if (property === undefined)
        return advance(push({ t: "literal", texts: [frame.next === 0 ? "{}" : "}"], pos: 0 }, below), char);
      const text = `${frame.next === 0 ? "{" : ","}${JSON.stringify(property.key)}:`;
      return advance(
        push({ t: "literal", texts: [text], pos: 0 }, push({ t: "value", node: property.node }, next)),
        char,
      );
    }
    case "anyObject":
      switch (frame.phase) {
        case "open":
        case "key":
          if (char === "}" && frame.phase === "open") return below;
          return char === '"'
            ? push(stringFrame(STRING_ANY), push({ t: "anyObject", phase: "colon" }, below))
            : undefined;
        case "colon":
          return char === ":"
            ? push({ t: "value", node: ANY_NODE }, push({ t: "anyObject", phase: "after" }, below))
            : undefined;
        case "after":
          if (char === ",") return push({ t: "anyObject", phase: "key" }, below);
          return char === "}" ? below : undefined;
      }
      return undefined;
    case "array": {
      const { node, count } = frame;
      if (frame.phase === "after") {
        if (char === "," && count < node.maxItems) return push({ ...frame, phase: "next" }, below);
        return char === "]" && count >= node.minItems ? below : undefined;
      }
      if (frame.phase === "open" && char === "]") return node.minItems === 0 ? below : undefined;
      if (frame.phase === "open" && node.maxItems === 0) return undefined;
      return enter(node.items, push({ ...frame, count: count + 1, phase: "after" }, below), char);
    }
  }
}

const ANY_NODE: GrammarNode = { kind: "any", min: 1, first: new Set() };

const stringFrame = (node: StringNode): Frame => ({ t: "string", node, length: 0, escape: 0 });

function enter(node: GrammarNode, below: Stack | null, char: string): GrammarState | undefined {
  switch (node.kind) {
    case "object":
      return advance(push({ t: "object", node, next: 0 }, below), char);
    case "anyObject":
      return char === "{" ? push({ t: "anyObject", phase: "open" }, below) : undefined;
    case "array":
      return char === "[" ? push({ t: "array", node, count: 0, phase: "open" }, below) : undefined;
    case "string":
      return char === '"' ? push(stringFrame(node), below) : undefined;
    case "number":
      return numberStep({ t: "number", integer: node.integer, phase: "start", digits: 0 }, below, char);
    case "literal":
      return advance(push({ t: "literal", texts: node.texts, pos: 0 }, below), char);
    case "union": {
      const option = node.options.find((candidate) => candidate.first.has(char));
      return option === undefined ? undefined : enter(option, below, char);
    }
    case "any":
      if (char === "{") return push({ t: "anyObject", phase: "open" }, below);
      if (char === "[") return push({ t: "array", node: ANY_ARRAY, count: 0, phase: "open" }, below);
      if (char === '"') return push(stringFrame(STRING_ANY), below);
      if (char === "-" || DIGIT.test(char))
        return numberStep({ t: "number", integer: false, phase: "start", digits: 0 }, below, char);
      return advance(push({ t: "literal", texts: ["true", "false", "null"], pos: 0 }, below), char);
  }
}

const ANY_ARRAY: ArrayNode = {
  kind: "array",
  items: ANY_NODE,
  minItems: 0,
  maxItems: Infinity,
  min: ANY_ARRAY_MIN,
  first: new Set(["["]),
};

function stringStep(frame: Extract<Frame, { t: "string" }>, below: Stack | null, char: string) {
  const { node, length, escape } = frame;
  if (escape === 1) {
    if (char === "u") return push({ ...frame, escape: 2 }, below);
    return '"\\/bfnrt'.includes(char) ? push({ ...frame, escape: 0, length: length + 1 }, below) : undefined;
  }
  if (escape > 1) {
    if (!HEX.test(char)) return undefined;
    return push(escape === 5 ? { ...frame, escape: 0, length: length + 1 } : { ...frame, escape: escape + 1 }, below);
  }
  if (char === '"') return length >= node.minLength ? below : undefined;
  if (length >= node.maxLength || char < " ") return undefined;
  return push(char === "\\" ? { ...frame, escape: 1 } : { ...frame, length: length + 1 }, below);
}

function numberStep(frame: Extract<Frame, { t: "number" }>, below: Stack | null, char: string) {
  const to = (phase: NumberPhase) =>
    push({ ...frame, phase, digits: phase === frame.phase ? frame.digits + 1 : 1 }, below);
  const { phase, integer } = frame;
  const digit = DIGIT.test(char) && frame.digits < (phase === "exp" ? 2 : 15);
  const fraction = !integer && char === ".";
  const exponent = !integer && (char === "e" || char === "E");
  switch (phase) {
    case "start":
      if (char === "-") return to("minus");
      if (char === "0") return to("zero");
      return digit ? to("int") : undefined;
    case "minus":
      if (char === "0") return to("zero");
      return digit ? to("int") : undefined;
    case "zero":
      if (fraction) return to("dot");
      if (exponent) return to("e");
      break;
    case "int":
      if (digit) return to("int");
      if (fraction) return to("dot");
      if (exponent) return to("e");
      break;
    case "dot":
      return digit ? to("frac") : undefined;
    case "frac":
      if (digit) return to("frac");
      if (exponent) return to("e");
      break;
    case "e":
      if (char === "+" || char === "-") return to("sign");
      return digit ? to("exp") : undefined;
    case "sign":
      return digit ? to("exp") : undefined;
    case "exp":
      if (digit) return to("exp");
      break;
  }
  return advance(below, char);
}

/** Whether the document may end here: nothing open but a number or a literal that is whole as it stands. */
export function canFinish(state: GrammarState): boolean {
  for (let stack = state; stack !== null; stack = stack.below) {
    const { frame } = stack;
    if (frame.t === "number" && COMPLETE_NUMBER.has(frame.phase)) continue;
    if (frame.t === "literal" && frame.texts.some((text) => text.length === frame.pos)) continue;
    return false;
  }
  return true;
}

/**
 * The fewest characters that finish the document from here. A decoder that
 * only takes a token when what is left fits in the tokens left always
 * finishes a valid document within max_tokens.
 */
export function minRemaining(state: GrammarState): number {
  let total = 0;
  for (let stack = state; stack !== null; stack = stack.below) total += frameRemaining(stack.frame);
  return total;
}

function frameRemaining(frame: Frame): number {
  switch (frame.t) {
    case "value":
      return frame.node.min;
    case "literal":
      return Math.min(...frame.texts.map((text) => text.length - frame.pos));
    case "string": {
      const inEscape = frame.escape === 0 ? 0 : frame.escape === 1 ? 1 : 6 - frame.escape;
      const written = frame.length + (frame.escape === 0 ? 0 : 1);
      return inEscape + Math.max(0, frame.node.minLength - written) + 1;
    }
    case "number":
      return COMPLETE_NUMBER.has(frame.phase) ? 0 : 1;
    case "object": {
      const rest = frame.node.properties.slice(frame.next);
      if (frame.node.properties.length === 0) return 2;
      return 1 + rest.reduce((sum, property) => sum + JSON.stringify(property.key).length + 2 + property.node.min, 0);
    }
    case "anyObject":
      return { open: 1, key: 5, colon: 3, after: 1 }[frame.phase];
    case "array": {
      const { minItems, items } = frame.node;
      const left = Math.max(0, minItems - frame.count);
      if (frame.phase === "after") return left * (items.min + 1) + 1;
      // After "[" (nothing yet) or ",": the items still owed (one at least after a comma), each with its comma or the "]".
      if (frame.phase === "next") return Math.max(1, left) * (items.min + 1);
      return left === 0 ? 1 : left * (items.min + 1);
    }
  }
}
