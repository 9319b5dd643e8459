import { Pool } from "pg";

/** Connection pool for the auth database (users, sessions, refresh tokens). */
export const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
});

export async function findUserByEmail(email: string): Promise<{ id: string; email: string } | undefined> {
  const { rows } = await pool.query("SELECT id, email FROM users WHERE email = $1", [email]);
  return rows[0];
}
