/** Types of net.mjs for the TypeScript tests that call it. */
export function isListening(host: string, port: number, timeoutMs?: number): Promise<boolean>;
