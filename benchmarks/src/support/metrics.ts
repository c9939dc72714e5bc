import type { ServerProcess } from './processes';

/** Sum and count of a Prometheus histogram (all label sets) from a server's /metrics (METRICS_TOKEN `token`). */
export async function histogram(server: ServerProcess, name: string, token: string): Promise<{ sum: number; count: number }> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const match = /^(\w+?)_(sum|count)(?:\{[^}]*\})? ([\d.e+-]+)$/.exec(line);
    if (match?.[1] !== name) continue;
    if (match[2] === 'sum') sum += Number(match[3]);
    else count += Number(match[3]);
  }
  return { sum, count };
}
