import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import canonicalize from "canonicalize";
import type { DbOrTx } from "@aiaas/db";

/** The last event of one chain, as a checkpoint records it. */
export interface ChainHead {
  chain: string;
  seq: number;
  hash: string;
}

/**
 * Chain heads signed with Ed25519 under a key the database never holds,
 * written outside it (AUDIT_CHECKPOINT_DIR): whoever can rewrite
 * `audit_events` and recompute every hash after their change still cannot
 * make the heads agree with these, nor cut the tail off unseen.
 */
export interface AuditCheckpoint {
  at: string;
  writer: string;
  heads: ChainHead[];
  /** base64 Ed25519 signature over the canonical JSON of the rest. */
  signature: string;
}

/** Ed25519 keys from AUDIT_SIGNING_KEY: 32 random bytes, base64 (`npm start` makes one). */
export function auditSigningKeys(seedBase64: string): { privateKey: KeyObject; publicKey: KeyObject } {
  const seed = Buffer.from(seedBase64, "base64");
  if (seed.length !== 32) throw new Error("AUDIT_SIGNING_KEY must be 32 bytes, base64");
  // PKCS#8 for an Ed25519 private key is a fixed 16-byte prefix and the seed (RFC 8410).
  const der = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const privateKey = createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

const signedPart = ({ at, writer, heads }: Omit<AuditCheckpoint, "signature">) =>
  Buffer.from(canonicalize({ at, writer, heads }) ?? "");

export function signCheckpoint(part: Omit<AuditCheckpoint, "signature">, privateKey: KeyObject): AuditCheckpoint {
  return { ...part, signature: sign(null, signedPart(part), privateKey).toString("base64") };
}

export function checkpointSigned(checkpoint: AuditCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedPart(checkpoint), publicKey, Buffer.from(checkpoint.signature, "base64"));
  } catch {
    return false; // a signature that is not even well-formed is as bad as a wrong one
  }
}

/**
 * The head of every chain now: one index probe per chain (a loose index scan
 * over the unique (chain, seq) index), however long the chains are.
 */
export async function chainHeads(db: DbOrTx): Promise<ChainHead[]> {
  return db.$queryRaw<ChainHead[]>`
    WITH RECURSIVE chains AS (
      SELECT min(chain) AS chain FROM audit_events
      UNION ALL
      SELECT (SELECT min(chain) FROM audit_events WHERE chain > chains.chain) FROM chains WHERE chains.chain IS NOT NULL
    )
    SELECT c.chain, e.seq, e.hash
    FROM chains c
    CROSS JOIN LATERAL (SELECT seq, hash FROM audit_events WHERE chain = c.chain ORDER BY seq DESC LIMIT 1) e
    WHERE c.chain IS NOT NULL
    ORDER BY c.chain`;
}

export interface CheckpointDisagreement {
  chain: string;
  seq: number;
  /** `missing`: the tail from this event on was cut off; `altered`: its hash is not the one signed. */
  kind: "missing" | "altered";
  checkpointAt: string;
  /** The last event of this chain a checkpoint still vouches for: the change lies after it. */
  lastVouched: { seq: number; checkpointAt: string } | null;
}

export interface CheckpointReport {
  checkpoints: number;
  /** Checkpoints whose signature does not verify (forged or damaged): they vouch for nothing. */
  unsigned: number;
  /** The first checkpointed head the database disagrees with (chains in order, then by sequence); null when all agree. */
  disagreement: CheckpointDisagreement | null;
}

/**
 * Compares the database with every signed checkpoint of the given chains: each
 * head must still be there with the hash that was signed. Reports the first
 * event that is not, and the last one of its chain before it that still agrees.
 */
export async function verifyCheckpoints(
  db: DbOrTx,
  checkpoints: AuditCheckpoint[],
  publicKey: KeyObject,
  chains: string[],
): Promise<CheckpointReport> {
  const wanted = new Set(chains);
  const signed = checkpoints.filter((checkpoint) => checkpointSigned(checkpoint, publicKey));
  const heads = signed
    .flatMap((checkpoint) => checkpoint.heads.map((head) => ({ ...head, at: checkpoint.at })))
    .filter((head) => wanted.has(head.chain))
    .sort((a, b) => a.chain.localeCompare(b.chain) || a.seq - b.seq);
  let disagreement: CheckpointDisagreement | null = null;
  const vouched = new Map<string, { seq: number; checkpointAt: string }>();
  for (const head of heads) {
    const event = await db.auditEvent.findUnique({
      where: { chain_seq: { chain: head.chain, seq: head.seq } },
      select: { hash: true },
    });
    if (event?.hash === head.hash) {
      vouched.set(head.chain, { seq: head.seq, checkpointAt: head.at });
      continue;
    }
    disagreement = {
      chain: head.chain,
      seq: head.seq,
      kind: event ? "altered" : "missing",
      checkpointAt: head.at,
      lastVouched: vouched.get(head.chain) ?? null,
    };
    break;
  }
  return { checkpoints: signed.length, unsigned: checkpoints.length - signed.length, disagreement };
}
