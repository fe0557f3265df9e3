/**
 * One writer per ledger (issue 13 item 1, issue 15 items 9 and 10), with the real CLI as a user
 * runs it: two `watch --upload` on one data folder publish each clip once, not twice; `register`
 * while `watch` runs hands its files to the watcher and prints the watcher's answers; an already
 * reserved file is reported as reserved.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, jsonEvents, startBin, type RunningBin } from '../support/cli-process';
import { makeClip, tempDir } from '../support/clips';
import { taggedCopy } from '../main/intake/media-files';
import { startStandaloneSandbox } from '../support/standalone-sandbox';

let dir: string;
let cleanup: () => Promise<void>;
let companionBin: string;
let sandboxBin: string;
let source: Buffer;
const running: RunningBin[] = [];
beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('gc-one-writer-'));
  let clip: string;
  [companionBin, sandboxBin, clip] = await Promise.all([
    bundleBin('gameclips-companion', dir),
    bundleBin('gameclips-sandbox', dir),
    makeClip(path.join(dir, 'source.mp4'), { seconds: 1, faststart: true }),
  ]);
  source = await readFile(clip);
}, 60_000);
afterAll(async () => {
  for (const bin of running) bin.child.kill('SIGKILL');
  await cleanup();
});

const SENTENCE =
  /^gameclips-companion: GameClips Companion is already running \(process (\d+)\)\. Quit it, or use --data for a separate folder\.$/u;

async function standaloneSandbox(name: string) {
  const service = await startStandaloneSandbox(sandboxBin, path.join(dir, name));
  running.push(service.process);
  return { ...service, sandbox: service.process };
}

describe('one writer per data folder', () => {
  it('two watch --upload on one data folder publish 20 clips once each, and the second says who holds it', async () => {
    const service = await standaloneSandbox('sandbox-two-watchers');
    const watched = path.join(dir, 'two-watchers');
    const data = path.join(dir, 'two-watchers-data');
    await mkdir(watched, { recursive: true });
    for (let i = 0; i < 20; i++)
      await taggedCopy(source, path.join(watched, `clip-${i}.mp4`), `clip ${i}`);

    const start = () => {
      const bin = startBin(
        companionBin,
        ['watch', watched, '--upload', '--json', '--data', data, ...service.args],
        service.env,
      );
      running.push(bin);
      return bin;
    };
    const first = start();
    const second = start();
    // Exactly one of them refuses, naming the other's pid; the other publishes everything.
    const exited = await Promise.race([
      first.exited.then(() => [first, second] as const),
      second.exited.then(() => [second, first] as const),
    ]);
    const [refused, owner] = exited;
    expect(await refused.exited).toBe(1);
    const sentence = refused.stderr.find((line) => SENTENCE.test(line));
    expect(sentence, refused.stderr.join('\n')).toBeDefined();
    expect(Number(SENTENCE.exec(sentence as string)?.[1])).toBe(owner.child.pid);
    expect(refused.stderr.join('\n')).not.toMatch(/port is taken/u);

    await expect
      .poll(() => jsonEvents(owner).filter((e) => e.event === 'clip.published').length, {
        timeout: 120_000,
        interval: 500,
      })
      .toBe(20);
    // A third start while the first still runs is refused too, after the first is fully up.
    const third = start();
    expect(await third.exited).toBe(1);
    expect(third.stderr.some((line) => SENTENCE.test(line))).toBe(true);

    owner.child.kill('SIGINT');
    expect(await owner.exited).toBe(0);
    const clips = await service.list();
    expect(clips).toHaveLength(20);
    expect(clips.every((clip) => clip.state === 'Published')).toBe(true);
    service.sandbox.child.kill('SIGINT');
  }, 180_000);

  it('register while watch runs hands the files to the watcher: one reservation per file, the watcher answers', async () => {
    const service = await standaloneSandbox('sandbox-hand-over');
    const watched = path.join(dir, 'hand-over-watched');
    const elsewhere = path.join(dir, 'hand-over-files');
    const data = path.join(dir, 'hand-over-data');
    await mkdir(watched, { recursive: true });
    await mkdir(elsewhere, { recursive: true });
    const watch = startBin(
      companionBin,
      ['watch', watched, '--json', '--data', data, ...service.args],
      service.env,
    );
    running.push(watch);
    await watch.waitForLine((line) => line.includes('"event":"ready"'));
    for (let i = 0; i < 5; i++)
      await taggedCopy(source, path.join(elsewhere, `handed-${i}.mp4`), `handed ${i}`);

    const register = startBin(
      companionBin,
      ['register', elsewhere, '--json', '--data', data, ...service.args],
      service.env,
    );
    running.push(register);
    expect(await register.exited, register.stderr.join('\n')).toBe(0);
    const results = jsonEvents(register).filter((e) => e.event === 'register.result');
    expect(results.map((e) => [path.basename(String(e.path)), e.outcome]).sort()).toEqual(
      Array.from({ length: 5 }, (_, i) => [`handed-${i}.mp4`, 'reserved']),
    );
    const stopped = jsonEvents(register).find((e) => e.event === 'stopped');
    expect(stopped?.handedTo).toBe(watch.child.pid);
    // The watcher made the reservations: its own lines say so.
    expect(jsonEvents(watch).filter((e) => e.event === 'clip.reserved')).toHaveLength(5);

    // Again, plain output: each file once with its reason, the summary last, exit 0 (issue 15 item 10).
    const again = startBin(
      companionBin,
      ['register', elsewhere, '--data', data, ...service.args],
      service.env,
    );
    running.push(again);
    expect(await again.exited, again.stderr.join('\n')).toBe(0);
    const lines = again.lines.filter((line) => line.trim() !== '');
    expect(lines).toHaveLength(6);
    for (let i = 0; i < 5; i++)
      expect(lines.filter((line) => line.includes(`handed-${i}.mp4`))).toEqual([
        expect.stringMatching(/^reserved +\S.*\(already reserved\) {2}-> {2}\S+$/u),
      ]);
    expect(lines.at(-1)).toMatch(/^all clips reserved/u);

    watch.child.kill('SIGINT');
    expect(await watch.exited).toBe(0);
    const clips = await service.list();
    expect(clips).toHaveLength(5);
    service.sandbox.child.kill('SIGINT');
  }, 120_000);
});
