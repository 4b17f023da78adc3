import pg from "pg";

/**
 * Moves a person's sessions' sign-in back in time, as if they had signed in
 * `minutes` ago: the one thing e2e tests cannot wait for. Reads the stack's
 * DATABASE_URL (npm test passes it; against npm start, set it from .data/local.env).
 */
export async function signedInMinutesAgo(email: string, minutes: number) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the e2e test needs the stack's database");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rowCount } = await client.query(
      `UPDATE sessions SET created_at = now() - make_interval(mins => $2), reauthenticated_at = NULL
       WHERE user_id = (SELECT id FROM users WHERE email = $1)`,
      [email, minutes],
    );
    if (!rowCount) throw new Error(`no session of ${email} to age`);
  } finally {
    await client.end();
  }
}

/**
 * Marks an organisation's claimed domain verified, as the worker does once
 * its DNS TXT record shows the token (that check runs against a DNS server
 * of its own in apps/worker/src/domain-checks.int.test.ts; the e2e stack's
 * worker asks the machine's DNS, which knows no test domain).
 */
export async function markDomainVerified(domain: string) {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: the e2e test needs the stack's database");
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // As the worker: the platform role (the apps' login holds it; tenant rows are otherwise out of its sight).
    await client.query("SET ROLE aiaas_platform");
    const { rowCount } = await client.query(`UPDATE sso_domains SET verified_at = now() WHERE domain = $1`, [domain]);
    if (!rowCount) throw new Error(`no claimed domain ${domain}`);
  } finally {
    await client.end();
  }
}
