// The JavaScript SDK v3 side of the batch-writer comparison (issue 8):
// BatchWriteItem of 25 new ~100-byte items (the items of bench/load.cc),
// with --in-flight requests outstanding for --duration-seconds; unprocessed
// items are sent again. Prints one line of key=value pairs like moe_load.
//
//   node batch_write.mjs --endpoint http://127.0.0.1:8000 --in-flight 16 --duration-seconds 5
import { DynamoDBClient, BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import http from 'node:http';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, a, i, all) => (i % 2 ? pairs : [...pairs, [a.replace(/^--/, ''), all[i + 1]]]), []));
const endpoint = args['endpoint'] ?? 'http://127.0.0.1:8000';
const table = args['table'] ?? 'bench';
const prefix = args['key-prefix'] ?? 'js';
const inFlight = Number(args['in-flight'] ?? 16);
const seconds = Number(args['duration-seconds'] ?? 5);

const client = new DynamoDBClient({
  endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
  requestHandler: new NodeHttpHandler({ httpAgent: new http.Agent({ keepAlive: true, maxSockets: inFlight }) }),
});

const data = 'the quick brown fox jumps over the lazy dog 0123456789 abcdefghijklmnopq';
let next = 0;
const putRequest = (pk) => ({ PutRequest: { Item: { pk: { S: pk }, sk: { S: '0' }, data: { S: data } } } });

let requests = 0;
let items = 0;
let errors = 0;
const latencies = [];
const start = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const deadline = Date.now() + seconds * 1000;

async function worker() {
  while (Date.now() < deadline) {
    let writes = [];
    for (let i = 0; i < 25; ++i) writes.push(putRequest(`${prefix}${next++}`));
    while (writes.length > 0) {
      const sent = process.hrtime.bigint();
      try {
        const out = await client.send(new BatchWriteItemCommand({ RequestItems: { [table]: writes } }));
        latencies.push(Number(process.hrtime.bigint() - sent) / 1000);
        ++requests;
        const left = out.UnprocessedItems?.[table] ?? [];
        items += writes.length - left.length;
        writes = left;
      } catch (e) {
        if (++errors <= 3) console.error(`batch_write: ${e.name}: ${e.message}`);
        writes = [];
      }
    }
  }
}

await Promise.all(Array.from({ length: inFlight }, worker));
const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpu0);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.floor(p * (latencies.length - 1))] : 0);
console.log(
  `op=batch via=js-sdk in_flight=${inFlight} ops=${requests} errors=${errors} seconds=${elapsed.toFixed(3)} ` +
  `ops_per_s=${(requests / elapsed).toFixed(0)} p50_us=${pct(0.5).toFixed(1)} p99_us=${pct(0.99).toFixed(1)} ` +
  `client_cpu_s=${cpuSeconds.toFixed(3)} client_cpu_us_per_op=${(cpuSeconds * 1e6 / Math.max(requests, 1)).toFixed(2)} ` +
  `items=${items} items_per_s=${(items / elapsed).toFixed(0)}`);
process.exit(errors === 0 && requests > 0 ? 0 : 1);
