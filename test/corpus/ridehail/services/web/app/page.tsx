import { getJSON } from "../lib/api";

export default async function Home() {
  const status = await getJSON<{ ok: boolean }>("/healthz");
  return <main>{status.ok ? "All systems go" : "Degraded"}</main>;
}
