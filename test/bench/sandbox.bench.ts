/**
 * Sandbox benchmarks: how many reservations per second it takes, and how fast block uploads
 * (2,000,000-byte blocks, 4 at a time) go compared with one raw streamed PUT of the same file to
 * the same server in the same run (quality-bars.md P4 names that reference).
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { blockSpan, expectedBlockCount } from '../../app/gameclips/blocks';
import { startSandbox, type RunningSandbox } from '../../main/sandbox/index';
import { tempDir } from '../support/clips';
import { figure, percentile, type Benchmark, type Figure } from './harness';

interface Account {
  readonly authorization: string;
  readonly scid: string;
}

const RESERVATION_ROUNDS = 9;
const RESERVATIONS_PER_ROUND = 400;
const RESERVATION_CONCURRENCY = 8;
const UPLOAD_ROUNDS = 7;
const FILE_BYTES = 40_000_000;
const BLOCK_CONCURRENCY = 4;

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One request over the shared keep-alive agent; `body` may be bytes or a stream factory. */
function send(
  url: string,
  method: string,
  headers: Record<string, string | number>,
  body?: Buffer | (() => NodeJS.ReadableStream),
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body === undefined) req.end();
    else if (Buffer.isBuffer(body)) req.end(body);
    else body().pipe(req);
  });
}

async function newAccount(sandbox: RunningSandbox): Promise<Account> {
  const answer = await send(
    `${sandbox.baseUrl}/sandbox/accounts`,
    'POST',
    { 'Content-Type': 'application/json' },
    Buffer.from('{}'),
  );
  if (answer.status !== 201) throw new Error(`account: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as Account;
}

async function reserve(
  sandbox: RunningSandbox,
  account: Account,
  fileSize: number,
): Promise<{ gameClipId: string; uploadUri: string }> {
  const body = Buffer.from(
    JSON.stringify({
      greatestMomentId: '',
      userCaption: '',
      dateRecorded: '2024-01-01T12:00:00Z',
      durationInSeconds: 30,
      expectedBlocks: expectedBlockCount(fileSize),
      fileSize,
      type: 'UserGenerated',
      source: 'TitleDirect',
      visibility: 'Owner',
      thumbnailSource: 'Upload',
      savedByUser: false,
    }),
  );
  const answer = await send(
    `${sandbox.baseUrl}/users/me/scids/${account.scid}/clips`,
    'POST',
    {
      Authorization: account.authorization,
      'x-xbl-contract-version': 1,
      'Content-Type': 'application/json',
      'Content-Length': body.length,
    },
    body,
  );
  if (answer.status !== 200) throw new Error(`reserve: ${answer.status} ${answer.body}`);
  return JSON.parse(answer.body) as { gameClipId: string; uploadUri: string };
}

async function withSandbox<T>(
  work: (sandbox: RunningSandbox, dir: string) => Promise<T>,
): Promise<T> {
  const folder = await tempDir('gameclips-sandbox-bench-');
  const sandbox = await startSandbox({
    dataDir: path.join(folder.dir, 'data'),
    ffmpegPath: null,
    sink: true,
  });
  try {
    return await work(sandbox, folder.dir);
  } finally {
    await sandbox.close();
    await folder.cleanup();
  }
}

async function reservationsPerSecond(): Promise<readonly Figure[]> {
  return withSandbox(async (sandbox) => {
    const rates: number[] = [];
    // One warm-up round, not counted: the first requests pay for JIT and connection set-up.
    for (let round = -1; round < RESERVATION_ROUNDS; round++) {
      const account = await newAccount(sandbox);
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: RESERVATION_CONCURRENCY }, async () => {
          while (next < RESERVATIONS_PER_ROUND) {
            next += 1;
            await reserve(sandbox, account, 1_000_000);
          }
        }),
      );
      const seconds = (performance.now() - started) / 1000;
      if (round >= 0) rates.push(RESERVATIONS_PER_ROUND / seconds);
    }
    return [
      figure('sandbox reservations per second', 'reservations/s', rates, {
        goal: `informational: ${RESERVATIONS_PER_ROUND} reservations per round, ${RESERVATION_CONCURRENCY} at a time`,
      }),
    ];
  });
}

async function waitForPublished(
  sandbox: RunningSandbox,
  account: Account,
  gameClipId: string,
): Promise<void> {
  for (;;) {
    const answer = await send(
      `${sandbox.baseUrl}/users/me/scids/${account.scid}/clips/${gameClipId}`,
      'GET',
      { Authorization: account.authorization, 'x-xbl-contract-version': 1 },
    );
    if (answer.status !== 200) throw new Error(`poll: ${answer.status} ${answer.body}`);
    if ((JSON.parse(answer.body) as { gameClip: { state: string } }).gameClip.state === 'Published')
      return;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function uploadThroughput(): Promise<readonly Figure[]> {
  return withSandbox(async (sandbox, dir) => {
    const filePath = path.join(dir, 'clip.bin');
    await writeFile(filePath, randomBytes(FILE_BYTES));
    const account = await newAccount(sandbox);
    const handle = await open(filePath, 'r');
    const readBlock = async (blockNum: number): Promise<Buffer> => {
      const span = blockSpan(FILE_BYTES, blockNum);
      const buffer = Buffer.alloc(span.end - span.start);
      await handle.read(buffer, 0, buffer.length, span.start);
      return buffer;
    };
    const rawRates: number[] = [];
    const blockRates: number[] = [];
    const ratios: number[] = [];
    try {
      for (let round = -1; round < UPLOAD_ROUNDS; round++) {
        const rawStarted = performance.now();
        const raw = await send(
          `${sandbox.baseUrl}/sandbox/sink`,
          'PUT',
          { 'Content-Type': 'application/octet-stream', 'Content-Length': FILE_BYTES },
          () => createReadStream(filePath),
        );
        if (raw.status !== 201) throw new Error(`sink: ${raw.status} ${raw.body}`);
        const rawRate = FILE_BYTES / 1e6 / ((performance.now() - rawStarted) / 1000);

        const reservation = await reserve(sandbox, account, FILE_BYTES);
        const blocks = expectedBlockCount(FILE_BYTES);
        let next = 0;
        let created = 0;
        const blockStarted = performance.now();
        await Promise.all(
          Array.from({ length: BLOCK_CONCURRENCY }, async () => {
            while (next < blocks) {
              const blockNum = next++;
              const bytes = await readBlock(blockNum);
              const answer = await send(
                `${reservation.uploadUri}?blockNum=${blockNum}`,
                'PUT',
                {
                  Authorization: account.authorization,
                  'x-xbl-contract-version': 1,
                  'Content-Type': 'application/octet-stream',
                  'Content-Length': bytes.length,
                },
                bytes,
              );
              if (answer.status === 201) created += 1;
              else if (answer.status !== 202)
                throw new Error(`block ${blockNum}: ${answer.status} ${answer.body}`);
            }
          }),
        );
        const blockRate = FILE_BYTES / 1e6 / ((performance.now() - blockStarted) / 1000);
        if (created !== 1) throw new Error(`expected one 201, got ${created}`);
        // Let processing (joining the blocks) finish before the next round measures anything.
        await waitForPublished(sandbox, account, reservation.gameClipId);
        if (round < 0) continue;
        rawRates.push(rawRate);
        blockRates.push(blockRate);
        ratios.push(blockRate / rawRate);
      }
    } finally {
      await handle.close();
    }
    const ratio = percentile(ratios, 50);
    return [
      figure('raw streamed PUT to the sandbox (reference)', 'MB/s', rawRates),
      figure(
        `block upload to the sandbox (2,000,000-byte blocks, ${BLOCK_CONCURRENCY} at a time)`,
        'MB/s',
        blockRates,
        {
          goal: '>= 0.8 x a raw streamed PUT of the same file, same run (P4)',
          meetsGoal: ratio >= 0.8,
          ratio: { against: 'raw streamed PUT, median of per-round ratios', value: ratio },
        },
      ),
    ];
  });
}

export const benchmarks: Benchmark[] = [
  { name: 'sandbox reservations', run: reservationsPerSecond },
  { name: 'sandbox block upload throughput', run: uploadThroughput },
];
