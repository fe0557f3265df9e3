/**
 * P4: the client's upload (UploadService: 2,000,000-byte blocks from disk, 4 at a time, acks
 * journaled and batched into the ledger) against a raw streamed PUT of the same file to the same
 * server, measured in the same run, and the client's CPU seconds per GiB.
 *
 * The sandbox runs in its own process (the bundled `gameclips-sandbox` bin), so
 * `process.cpuUsage()` here counts the client alone.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import path from 'node:path';
import { reservationSucceeded, newClipRecord } from '../../app/clip/clip';
import { buildInitialUploadRequest } from '../../app/gameclips/request';
import { createStreamLogger } from '../../main/util/logger';
import { AxiosGameClipsClient } from '../../main/gameclips/axios-gameclips-client';
import { BlockTransport } from '../../main/gameclips/block-transport';
import { quickFingerprint } from '../../main/intake/fingerprint';
import { FileClipLedger } from '../../main/ledger/file-clip-ledger';
import { ThumbnailStore } from '../../main/pipeline/thumbnail-store';
import { UploadService } from '../../main/pipeline/upload-service';
import { build } from 'esbuild';
import { startBin } from '../support/cli-process';
import { tempDir } from '../support/clips';
import { figure, percentile, type Benchmark, type Figure } from './harness';

/** Large enough that per-clip fixed costs (fingerprint, ledger writes) do not dominate per GiB. */
const FILE_BYTES = 512 * 1024 * 1024;
const ROUNDS = 4;
const GIB = 1024 ** 3;

function rawPut(url: string, filePath: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        agent,
        headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': FILE_BYTES },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    createReadStream(filePath).pipe(req);
  });
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1e6;
}

async function uploadThroughput(): Promise<readonly Figure[]> {
  const folder = await tempDir('gc-upload-bench-');
  // `npm run bench` runs from the project root; this file runs bundled elsewhere.
  const bin = path.join(folder.dir, 'gameclips-sandbox.js');
  await build({
    entryPoints: [path.resolve(process.cwd(), 'main/cli/gameclips-sandbox.ts')],
    outfile: bin,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    logLevel: 'silent',
    define: { __APP_VERSION__: '"bench"' },
  });
  const server = startBin(bin, [
    '--data',
    path.join(folder.dir, 'sandbox'),
    '--no-ffmpeg',
    '--sink',
  ]);
  const logger = createStreamLogger({ level: 'error', write: () => undefined });
  try {
    const line = await server.waitForLine((text) => text.includes('listening on'));
    const baseUrl = /(http:\/\/\S+)/u.exec(line)![1]!;
    const account = (await (
      await fetch(`${baseUrl}/sandbox/accounts`, { method: 'POST' })
    ).json()) as { authorization: string; scid: string };
    const filePath = path.join(folder.dir, 'clip.bin');
    const writer = await open(filePath, 'w');
    for (let offset = 0; offset < FILE_BYTES; offset += 16 * 1024 * 1024)
      await writer.write(randomBytes(16 * 1024 * 1024));
    await writer.close();
    const handle = await open(filePath, 'r');
    const stat = await handle.stat();
    const fingerprint = await quickFingerprint(handle, stat.size);
    await handle.close();

    const accountProvider = {
      authorization: () => Promise.resolve(account.authorization),
      refresh: () => Promise.resolve(false),
    };
    const client = new AxiosGameClipsClient({ baseUrl, account: accountProvider });
    const transport = new BlockTransport({
      account: accountProvider,
      tokenScope: { serviceOrigin: baseUrl },
    });
    const agent = new Agent({ keepAlive: true });
    const rawRates: number[] = [];
    const clientRates: number[] = [];
    const ratios: number[] = [];
    const rawCpu: number[] = [];
    const clientCpu: number[] = [];
    for (let round = -1; round < ROUNDS; round++) {
      // Reference: one raw streamed PUT of the whole file.
      const rawCpuStart = process.cpuUsage();
      const rawStarted = performance.now();
      const status = await rawPut(`${baseUrl}/sandbox/sink`, filePath, agent);
      if (status !== 201) throw new Error(`sink: ${status}`);
      const rawSeconds = (performance.now() - rawStarted) / 1000;
      const rawCpuUsed = cpuSeconds(rawCpuStart);

      // The client: a reserved record sent through the UploadService.
      const ledger = await FileClipLedger.open(path.join(folder.dir, `ledger-${round}`), logger);
      const now = new Date().toISOString();
      const probe = { container: 'mp4' as const, durationSeconds: 60, recordedAt: now };
      const draft = { caption: '', visibility: 'Owner' as const };
      const base = newClipRecord({
        id: crypto.randomUUID(),
        origin: 'cli',
        file: { path: filePath, size: stat.size, mtimeMs: stat.mtimeMs, fingerprint },
        probe,
        draft,
        now,
      });
      const body = buildInitialUploadRequest({
        correlationId: base.id,
        probe,
        fileSize: stat.size,
        draft,
        thumbnailSource: 'Offset',
        savedByUser: false,
      });
      const reserved = await client.reserve(account.scid, body);
      if (!reserved.ok) throw new Error(`reserve: ${JSON.stringify(reserved.failure)}`);
      await ledger.put(
        reservationSucceeded(
          { ...base, request: body },
          reserved.value,
          { serviceUrl: baseUrl, scid: account.scid },
          now,
        ),
      );
      let committedAt = 0;
      const service = new UploadService({
        ledger,
        client,
        transport,
        account: accountProvider,
        logger,
        events: { completed: () => (committedAt = performance.now()) },
        settings: () => ({
          sendPolicy: { kind: 'review' },
          parallelBlocks: 4,
          bandwidthCapBytesPerSecond: 0,
        }),
        thumbnailSource: 'Offset',
        thumbnails: new ThumbnailStore(path.join(folder.dir, 'thumbnails')),
        journalFolder: path.join(folder.dir, `journal-${round}`),
        reserveAgain: () => undefined,
        reintake: () => Promise.resolve(),
        // Polling is not part of the upload figure.
        follow: { firstMs: 60_000, maxMs: 60_000, giveUpMs: 0 },
      });
      await service.start();
      const clientCpuStart = process.cpuUsage();
      const clientStarted = performance.now();
      await service.send([base.id]);
      await service.idle();
      const clientSeconds = ((committedAt || performance.now()) - clientStarted) / 1000;
      const clientCpuUsed = cpuSeconds(clientCpuStart);
      await service.stop();
      if (ledger.get(base.id)?.state !== 'processing')
        throw new Error(`upload ended ${ledger.get(base.id)?.state}`);
      await ledger.flush();
      // Let the sandbox join the blocks before the next round measures anything.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      if (round < 0) continue;
      rawRates.push(FILE_BYTES / 1e6 / rawSeconds);
      clientRates.push(FILE_BYTES / 1e6 / clientSeconds);
      ratios.push(rawSeconds / clientSeconds);
      rawCpu.push(rawCpuUsed / (FILE_BYTES / GIB));
      clientCpu.push(clientCpuUsed / (FILE_BYTES / GIB));
    }
    transport.close();
    agent.destroy();
    const ratio = percentile(ratios, 50);
    const cpuPerGib = percentile(clientCpu, 50);
    return [
      figure('raw streamed PUT of the file (reference)', 'MB/s', rawRates),
      figure(
        'client upload: UploadService, 2,000,000-byte blocks, 4 at a time',
        'MB/s',
        clientRates,
        {
          goal: '>= 0.8 x a raw streamed PUT of the same file to the same server, same run (P4)',
          meetsGoal: ratio >= 0.8,
          ratio: { against: 'raw streamed PUT, median of per-round ratios', value: ratio },
        },
      ),
      figure('raw streamed PUT, client CPU (reference)', 'CPU s/GiB', rawCpu),
      figure('client upload CPU', 'CPU s/GiB', clientCpu, {
        goal: '<= 1 CPU-second per GiB (P4)',
        meetsGoal: cpuPerGib <= 1,
      }),
    ];
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
    await folder.cleanup();
  }
}

export const benchmarks: Benchmark[] = [
  { name: 'client upload throughput', run: uploadThroughput },
];
