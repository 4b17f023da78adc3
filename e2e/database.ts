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
