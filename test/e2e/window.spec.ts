/**
 * The window end to end through the Electron stand-in, with the real pipeline, the embedded
 * sandbox and clips written by ffmpeg: editing (caption, visibility, thumbnail frame), a blocked
 * clip and its next step, the zh-TW window, and an accessibility check.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dropFiles } from '../electron-stand-in/stand-in';
import { makeClip } from '../support/clips';
import { startApp, type RunningApp } from './support/app';

let app: RunningApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('a clip appears once ffmpeg has written it; caption, visibility and frame are edited', async () => {
  app = await startApp();
  const { page } = app;
  await expect(page.getByTestId('empty-state')).toBeVisible();
  await makeClip(path.join(app.videos, 'Triple kill.mp4'), { seconds: 4 });
  const card = page.getByTestId('clip-card');
  await expect(card).toHaveCount(1);
  await expect(card).toHaveAttribute('data-state', 'reserved');
  await expect(card).toContainText('Triple kill.mp4');

  // The reservation id only on demand.
  await expect(card.getByTestId('game-clip-id')).toHaveCount(0);
  await card.getByTestId('show-clip-id').click();
  await expect(card.getByTestId('game-clip-id')).toHaveText(/^[0-9a-f-]{36}$/u);

  await card.getByTestId('open-editor').click();
  const editor = page.getByTestId('clip-editor');
  await expect(editor).toBeVisible();

  const caption = editor.getByTestId('caption-input');
  await caption.fill('Three in a row 🎯');
  await expect(editor.getByTestId('caption-remaining')).toHaveText(
    `${250 - 'Three in a row 🎯'.length} left`,
  );

  await editor.getByTestId('visibility-Public').check();
  await expect(editor.getByTestId('visibility-Public')).toBeChecked();

  // The filmstrip is drawn from the local file through gameclips-media://.
  const frames = editor.getByTestId('filmstrip-frame');
  await expect(frames).toHaveCount(8);
  await expect(frames.locator('img')).toHaveCount(8);
  const third = frames.nth(2);
  const offset = Number(await third.getAttribute('data-offset'));
  await third.click();
  await expect(editor.getByTestId('picker-position')).not.toHaveText('0:00.0');
  await editor.getByTestId('use-frame').click();

  await expect
    .poll(async () => (await app!.ledger()).map((record) => record.draft))
    .toEqual([{ caption: 'Three in a row 🎯', visibility: 'Public', thumbnailOffsetMs: offset }]);
});

test('a blocked clip says why in one sentence and offers one next step', async () => {
  app = await startApp();
  const { page } = app;
  await app.fault({ route: 'reserve', status: 401, times: 5 });
  await makeClip(path.join(app.videos, 'Signed out.mp4'), { seconds: 2 });
  const card = page.getByTestId('clip-card');
  await expect(card).toHaveAttribute('data-state', 'blocked');
  await expect(card.getByTestId('clip-error')).toContainText('signed out of GameClips');
  const step = card.getByTestId('next-step');
  await expect(step).toHaveText('Sign in');
  await step.click();
  await expect(page.getByTestId('settings-screen')).toBeVisible();
  await expect(page.getByTestId('settings-service')).toBeVisible();
});

test('the window speaks Traditional Chinese once chosen in settings', async () => {
  app = await startApp();
  const { page } = app;
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('language').selectOption('zh-TW');
  await expect(page.getByTestId('nav-pending')).toContainText('待處理');
  await expect(page.getByTestId('nav-settings')).toContainText('設定');
  await expect(page.locator('.app')).toHaveAttribute('lang', 'zh-TW');
  await makeClip(path.join(app.videos, 'clip.mp4'), { seconds: 2 });
  await page.getByTestId('nav-pending').click();
  await expect(page.getByTestId('clip-state')).toHaveText('等待檢閱');
  await expect(page.getByTestId('send')).toHaveText('送出');
});

test('the window follows the OS language by default', async () => {
  app = await startApp({ locale: 'zh-TW' });
  const { page } = app;
  await expect(page.getByTestId('nav-pending')).toContainText('待處理');
  await expect(page.getByTestId('empty-state')).toContainText('還沒有短片');
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('language')).toHaveValue('system');
  await page.getByTestId('language').selectOption('en');
  await expect(page.getByTestId('nav-settings')).toHaveText('Settings');
});

test('a dropped folder brings in the clips inside it', async () => {
  app = await startApp();
  const { page } = app;
  const folder = path.join(app.home, 'Session');
  await (await import('node:fs/promises')).mkdir(folder);
  await makeClip(path.join(folder, 'first.mp4'), { seconds: 2 });
  await makeClip(path.join(folder, 'second.mp4'), { seconds: 3 });
  await dropFiles(page, 'body', [{ path: folder, name: 'Session' }]);
  const outcomes = page.getByTestId('drop-outcome');
  await expect(outcomes).toHaveCount(2);
  for (let i = 0; i < 2; i += 1)
    await expect(outcomes.nth(i)).toHaveAttribute('data-outcome', 'accepted');
  await expect(page.getByTestId('clip-card')).toHaveCount(2);
});

test('keyboard only: open a clip, type a caption, choose who sees it', async () => {
  app = await startApp();
  const { page } = app;
  await makeClip(path.join(app.videos, 'Keys.mp4'), { seconds: 2 });
  await expect(page.getByTestId('clip-card')).toHaveAttribute('data-state', 'reserved');
  await page.getByTestId('open-editor').focus();
  await page.keyboard.press('Enter');
  const caption = page.getByTestId('caption-input');
  await expect(caption).toBeVisible();
  await caption.focus();
  await page.keyboard.type('typed with keys');
  // Tab reaches the visibility radios; arrows move the choice, as in any radio group.
  await page.getByTestId('visibility-Owner').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByTestId('visibility-Title')).toBeChecked();
  await expect
    .poll(async () => (await app!.ledger()).map((r) => `${r.draft.caption}|${r.draft.visibility}`))
    .toEqual(['typed with keys|Title']);
});

test('settings: folders come from main’s dialog, and the token is write-only', async () => {
  app = await startApp();
  const { page } = app;
  await page.getByTestId('nav-settings').click();
  await expect(page.getByTestId('watched-folder')).toHaveCount(1);
  const games = path.join(app.home, 'Games');
  await (await import('node:fs/promises')).mkdir(games);
  app.standIn.queueOpenDialog({ canceled: false, filePaths: [games] });
  await page.getByTestId('add-folder').click();
  await expect(page.getByTestId('watched-folder')).toHaveCount(2);
  await expect(page.getByTestId('watched-folder').nth(1)).toContainText('Games');
  // Intake is told at once: a clip written into the new folder is picked up.
  await makeClip(path.join(games, 'From the new folder.mp4'), { seconds: 2 });
  await page.getByTestId('nav-pending').click();
  await expect(page.getByTestId('clip-card')).toContainText('From the new folder.mp4');
  await page.getByTestId('nav-settings').click();

  await page.getByTestId('service-custom').check();
  await page.getByTestId('token-input').fill('XBL3.0 x=1234;very-secret-token');
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByTestId('token-state')).toHaveText(/token is stored/u);
  await expect(page.getByTestId('token-input')).toHaveValue('');
  expect(await page.content()).not.toContain('very-secret-token');
  const saved = await (
    await import('node:fs/promises')
  ).readFile(path.join(app.userData, 'settings.json'), 'utf8');
  expect(JSON.parse(saved).watchedFolders).toEqual([app.videos, games]);
  expect(saved).not.toContain('very-secret-token');
});

test('no serious accessibility violations on the list, editor and settings', async () => {
  app = await startApp();
  const { page } = app;
  await makeClip(path.join(app.videos, 'a11y.mp4'), { seconds: 2 });
  await expect(page.getByTestId('clip-card')).toHaveAttribute('data-state', 'reserved');
  await page.getByTestId('open-editor').click();
  await expect(page.getByTestId('filmstrip-frame').locator('img')).toHaveCount(8);
  for (const screen of ['pending', 'settings'] as const) {
    await page.getByTestId(`nav-${screen}`).click();
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations.filter(
      (violation) => violation.impact === 'serious' || violation.impact === 'critical',
    );
    expect(
      serious.map(
        (violation) => `${violation.id}: ${violation.nodes.map((n) => n.target).join(' ')}`,
      ),
      screen,
    ).toEqual([]);
  }
  // Keyboard: the editor is reachable and operable without a mouse.
  await page.getByTestId('nav-pending').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('pending-section')).toBeVisible();
});

test('batch: select with shift-click, apply a caption template and a visibility', async () => {
  app = await startApp();
  const { page } = app;
  for (const [name, seconds] of [
    ['One.mp4', 2],
    ['Two.mp4', 3],
    ['Three.mp4', 4],
  ] as const) {
    await makeClip(path.join(app.videos, name), { seconds });
    await expect(page.getByTestId('clip-card').filter({ hasText: name })).toHaveAttribute(
      'data-state',
      'reserved',
    );
  }
  const boxes = page.getByTestId('clip-select');
  await boxes.nth(0).click();
  await boxes.nth(2).click({ modifiers: ['Shift'] });
  await expect(boxes).toHaveCount(3);
  for (let i = 0; i < 3; i += 1) await expect(boxes.nth(i)).toBeChecked();
  await page.getByTestId('batch-template').fill('{file} at {time}');
  await page.getByTestId('batch-apply-caption').click();
  await page.getByTestId('batch-visibility').selectOption('Title');
  await page.getByTestId('batch-apply-visibility').click();
  await expect
    .poll(async () =>
      (await app!.ledger())
        .map((record) => `${record.draft.caption}|${record.draft.visibility}`)
        .sort(),
    )
    .toEqual([
      expect.stringMatching(/^One at \d\d:\d\d\|Title$/u),
      expect.stringMatching(/^Three at \d\d:\d\d\|Title$/u),
      expect.stringMatching(/^Two at \d\d:\d\d\|Title$/u),
    ]);
  await expect(page.getByTestId('clip-caption').first()).toContainText(' at ');
  await page.getByTestId('select-all').click();
  await expect(boxes.nth(1)).not.toBeChecked();
});

test('drag-and-drop: a good clip, a duplicate of it and a text file, each with its answer', async () => {
  app = await startApp();
  const { page } = app;
  const drops = path.join(app.home, 'Drops');
  const { mkdir, copyFile, writeFile } = await import('node:fs/promises');
  await mkdir(drops);
  const good = await makeClip(path.join(drops, 'Good play.mp4'), { seconds: 3 });
  const twin = path.join(drops, 'Good play (copy).mp4');
  await copyFile(good, twin);
  const text = path.join(drops, 'notes.txt');
  await writeFile(text, 'not a clip');

  await dropFiles(
    page,
    'body',
    [{ path: good, name: 'Good play.mp4', type: 'video/mp4' }],
    'hover',
  );
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await dropFiles(page, 'body', [{ path: good, name: 'Good play.mp4', type: 'video/mp4' }]);
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
  await expect(page.getByTestId('drop-outcome')).toHaveAttribute('data-outcome', 'accepted');
  await expect(page.getByTestId('clip-card')).toHaveAttribute('data-state', 'reserved');

  await dropFiles(page, 'body', [
    { path: twin, name: 'Good play (copy).mp4', type: 'video/mp4' },
    { path: text, name: 'notes.txt', type: 'text/plain' },
  ]);
  const latest = page.getByTestId('drop-results').locator('.drops__batch').first();
  const outcomes = latest.getByTestId('drop-outcome');
  await expect(outcomes).toHaveCount(2);
  await expect(outcomes.nth(0)).toHaveAttribute('data-outcome', 'duplicate');
  await expect(outcomes.nth(0)).toContainText('Good play.mp4');
  await expect(outcomes.nth(1)).toHaveAttribute('data-outcome', /^(ignored|rejected)$/u);
  await expect(outcomes.nth(1)).toContainText('not a video');

  // Keep the duplicate anyway: it is reserved like any other clip.
  await outcomes.nth(0).getByTestId('keep-duplicate').click();
  await expect(
    page.getByTestId('clip-card').filter({ hasText: 'Good play (copy).mp4' }),
  ).toHaveAttribute('data-state', 'reserved');
  await expect.poll(async () => (await app!.ledger()).filter((r) => r.reservation).length).toBe(2);
});

test('Send: the clip reaches Published with the caption, visibility and frame chosen in the window', async () => {
  app = await startApp();
  const { page } = app;
  const file = await makeClip(path.join(app.videos, 'Final round.mp4'), {
    seconds: 6,
    size: '640x360',
  });
  const card = page.getByTestId('clip-card');
  await expect(card).toHaveAttribute('data-state', 'reserved');
  await card.getByTestId('open-editor').click();
  const editor = page.getByTestId('clip-editor');
  await editor.getByTestId('caption-input').fill('Final round, 1 HP left');
  await editor.getByTestId('visibility-Public').check();
  await expect(editor.getByTestId('filmstrip-frame').locator('img')).toHaveCount(8);
  const frame = editor.getByTestId('filmstrip-frame').nth(5);
  const offsetMs = Number(await frame.getAttribute('data-offset'));
  await frame.click();
  await editor.getByTestId('use-frame').click();
  await expect(editor.getByTestId('picker-status')).toContainText('saved');
  await editor.getByTestId('editor-send').click();

  // Published clips move to the history, with their link.
  await page.getByTestId('nav-history').click();
  const published = page.getByTestId('history-section').getByTestId('clip-card');
  await expect(published).toHaveAttribute('data-state', 'published', { timeout: 60_000 });
  await expect(published.getByTestId('clip-link')).toHaveAttribute('href', /^http/u);

  const [record] = await app.ledger();
  const account = JSON.parse(
    await readFile(path.join(app.userData, 'sandbox-account.json'), 'utf8'),
  ) as { account: { authorization: string; scid: string } };
  const response = await fetch(
    `${await app.sandboxUrl()}/users/me/scids/${account.account.scid}/clips/${record?.reservation?.gameClipId}`,
    { headers: { Authorization: account.account.authorization, 'x-xbl-contract-version': '1' } },
  );
  expect(response.status).toBe(200);
  const { gameClip } = (await response.json()) as {
    gameClip: {
      state: string;
      userCaption: string;
      visibility: string;
      thumbnails: Array<{ uri: string; thumbnailType: string }>;
    };
  };
  expect(gameClip.state).toBe('Published');
  expect(gameClip.userCaption).toBe('Final round, 1 HP left');
  expect(gameClip.visibility).toBe('Public');

  // Still editable once published: the change reaches the service through the update call.
  await published.getByTestId('open-editor').click();
  const historyEditor = page.getByTestId('clip-editor');
  await historyEditor.getByTestId('caption-input').fill('Final round, won it');
  await historyEditor.getByTestId('caption-input').blur();
  await historyEditor.getByTestId('visibility-Owner').check();
  await expect
    .poll(
      async () => {
        const again = await fetch(
          `${await app!.sandboxUrl()}/users/me/scids/${account.account.scid}/clips/${record?.reservation?.gameClipId}`,
          {
            headers: {
              Authorization: account.account.authorization,
              'x-xbl-contract-version': '1',
            },
          },
        );
        const body = (await again.json()) as {
          gameClip: { userCaption: string; visibility: string };
        };
        return `${body.gameClip.userCaption}|${body.gameClip.visibility}`;
      },
      { timeout: 30_000 },
    )
    .toBe('Final round, won it|Owner');

  // The large thumbnail the service holds is the chosen frame: it matches ffmpeg's frame at the
  // chosen offset better than the frame at any other second of the clip.
  const large = gameClip.thumbnails.find((thumb) => thumb.thumbnailType === 'Large');
  expect(large).toBeDefined();
  const png = Buffer.from(await (await fetch(large!.uri)).arrayBuffer());
  const thumbFile = path.join(app.home, 'large.png');
  await writeFile(thumbFile, png);
  expect(png.readUInt32BE(16)).toBe(754);
  expect(png.readUInt32BE(20)).toBe(424);
  const atChosen = await psnr(thumbFile, file, offsetMs);
  for (const other of [0, 1000, 2000, 3000, 4000, 5000].filter(
    (ms) => Math.abs(ms - offsetMs) > 400,
  ))
    expect(atChosen, `frame at ${offsetMs} ms vs ${other} ms`).toBeGreaterThan(
      await psnr(thumbFile, file, other),
    );
});

/** PSNR (dB) of a PNG against the clip's frame at `offsetMs`, scaled alike, by ffmpeg. */
async function psnr(png: string, clip: string, offsetMs: number): Promise<number> {
  const { execFile } = await import('node:child_process');
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      'ffmpeg',
      [
        '-hide_banner',
        '-i',
        png,
        '-ss',
        String(offsetMs / 1000),
        '-i',
        clip,
        '-frames:v',
        '1',
        '-lavfi',
        '[1:v]scale=754:424,format=rgb24[b];[0:v]format=rgb24[a];[a][b]psnr',
        '-f',
        'null',
        '-',
      ],
      (error, _stdout, stderr) => (error ? reject(error) : resolve(stderr)),
    ),
  );
  const match = /average:([\d.]+|inf)/u.exec(output);
  if (!match) throw new Error(`no PSNR in ffmpeg's output: ${output}`);
  return match[1] === 'inf' ? 100 : Number(match[1]);
}

test('Send all: clips with no frame chosen get thumbnails the window renders on main’s request', async () => {
  app = await startApp({
    settings: {
      defaults: {
        visibility: 'Owner',
        captionTemplate: '',
        savedByUser: false,
        thumbnailOffsetMs: 1500,
      },
    },
  });
  const { page } = app;
  for (const [name, seconds] of [
    ['Left.mp4', 3],
    ['Right.mp4', 4],
  ] as const) {
    await makeClip(path.join(app.videos, name), { seconds });
    await expect(page.getByTestId('clip-card').filter({ hasText: name })).toHaveAttribute(
      'data-state',
      'reserved',
    );
  }
  await expect(page.getByTestId('send-all')).toHaveText('Send all ready (2)');
  await page.getByTestId('send-all').click();
  await page.getByTestId('nav-history').click();
  const published = page.getByTestId('history-section').getByTestId('clip-card');
  await expect(published).toHaveCount(2, { timeout: 60_000 });
  for (let i = 0; i < 2; i += 1)
    await expect(published.nth(i)).toHaveAttribute('data-state', 'published', { timeout: 60_000 });

  const account = JSON.parse(
    await readFile(path.join(app.userData, 'sandbox-account.json'), 'utf8'),
  ) as { account: { authorization: string; scid: string } };
  for (const record of await app.ledger()) {
    expect(record.thumbnails).toBe('sent');
    const response = await fetch(
      `${await app.sandboxUrl()}/users/me/scids/${account.account.scid}/clips/${record.reservation?.gameClipId}`,
      { headers: { Authorization: account.account.authorization, 'x-xbl-contract-version': '1' } },
    );
    const { gameClip } = (await response.json()) as {
      gameClip: { thumbnails?: Array<{ thumbnailType: string }> };
    };
    expect(gameClip.thumbnails?.map((thumb) => thumb.thumbnailType).sort()).toEqual([
      'Large',
      'Small',
    ]);
  }
});

test('history lists a refused file with its reason; clearing it keeps the file on disk', async () => {
  app = await startApp();
  const { page } = app;
  const broken = path.join(app.videos, 'broken.mp4');
  await writeFile(broken, 'not a video at all');
  await page.getByTestId('nav-history').click();
  const row = page.getByTestId('history-section').getByTestId('clip-card');
  await expect(row).toHaveAttribute('data-state', 'rejected');
  await expect(row.getByTestId('clip-error')).toContainText('not a video');
  await page.getByTestId('clear-history').click();
  await page.getByTestId('confirm-clear-history').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await expect(page.getByText('Removed from the list: 1.')).toBeVisible();
  expect((await readFile(broken, 'utf8')).length).toBeGreaterThan(0);
});
