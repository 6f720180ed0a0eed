/**
 * The load generator of bench:api, run as its own process so that the clients' work (HTTP parsing,
 * timers) does not share the server's event loop. Argument: one JSON object
 * {url, cookie, clients, seconds, maxRequests}. Prints {count, seconds, ms: [latencies]} as JSON.
 */
const args = JSON.parse(process.argv[2] ?? '{}') as { url: string; cookie: string; clients: number; seconds: number; maxRequests: number };

async function once(): Promise<void> {
  const res = await fetch(args.url, { headers: { cookie: args.cookie } });
  if (res.status !== 200) throw new Error(`${args.url}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

for (let i = 0; i < 10; i++) await once(); // warm-up: connections, caches
const ms: number[] = [];
const t0 = performance.now();
const end = t0 + args.seconds * 1000;
await Promise.all(
  Array.from({ length: args.clients }, async () => {
    while (performance.now() < end && ms.length < args.maxRequests) {
      const s = performance.now();
      await once();
      ms.push(performance.now() - s);
    }
  }),
);
process.stdout.write(JSON.stringify({ count: ms.length, seconds: (performance.now() - t0) / 1000, ms }));
