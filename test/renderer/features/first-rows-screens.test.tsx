/**
 * A window rebuilt from the tray draws its first rows before the whole list is in
 * (app/clip/first-rows.ts): the screens show main's counts, never the few rows' own, and keep
 * what acts on every clip (select all, send all, filters, clear history) out of reach until the
 * whole list is here.
 */
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import type { ClipView } from '../../../app/clip/views';
import { PendingScreen } from '../../../renderer/features/app-shell';
import { HistoryScreen } from '../../../renderer/features/history/history-screen';
import { createAppStore } from '../../../renderer/stores/app-store';
import { clipsReceived, firstRowsReceived } from '../../../renderer/stores/clips-reducers';
import { createClipsStore, type ClipsState } from '../../../renderer/stores/clips-store';
import { StoresProvider } from '../../../renderer/stores/stores-context';
import { createUiStore } from '../../../renderer/stores/ui-store';
import { FakeCompanion, clipView } from '../fixtures';

function render(screen: 'pending' | 'history', rows: readonly ClipView[], whole?: ClipView[]) {
  const api = new FakeCompanion();
  const base = createClipsStore(api).getState();
  let data = firstRowsReceived(base, { clips: rows, counts: { pending: 812, history: 45 } });
  if (whole) data = clipsReceived(data, whole);
  // A server render reads a store's initial state: the store starts from the state under test.
  const clips = createStore<ClipsState>()(() => ({ ...base, ...data }));
  const stores = { clips, app: createAppStore(api), ui: createUiStore({ screen }) };
  return renderToStaticMarkup(
    <StoresProvider stores={stores}>
      {screen === 'pending' ? <PendingScreen showThumbs={false} /> : <HistoryScreen />}
    </StoresProvider>,
  );
}

const cards = (html: string) => (html.match(/data-testid="clip-card"/gu) ?? []).length;

describe('the screens while only the first rows are in', () => {
  it('Pending: draws the rows, counts every clip, and holds the batch bar and filters', () => {
    const rows = [clipView(), clipView(), clipView()];
    const html = render('pending', rows);
    expect(cards(html)).toBe(3);
    expect(html).toMatch(/id="section-pending"[^>]*>[^<]*<span class="count num">812<\/span>/u);
    expect(html).toMatch(/data-testid="batch-bar" inert=""/u);
    // "Send all ready" counts every clip: no number until they are all here.
    expect(html).toContain('Send all ready (…)');
    expect(html).toMatch(/data-testid="find-pending" inert=""/u);
  });

  it('Pending: once the whole list is in, counts it and gives the controls back', () => {
    const rows = [clipView(), clipView()];
    const html = render('pending', rows, [...rows, clipView()]);
    expect(cards(html)).toBe(3);
    expect(html).toMatch(/<span class="count num">3<\/span>/u);
    expect(html).not.toContain('inert');
  });

  it('History: counts every clip and holds Clear history while only its first rows are in', () => {
    const rows = [clipView({ state: 'published' }), clipView({ state: 'failed' })];
    const html = render('history', rows);
    expect(cards(html)).toBe(2);
    expect(html).toMatch(/id="history-title"[^>]*>[^<]*<span class="count num">45<\/span>/u);
    expect(html).toMatch(/class="section__tools" inert=""/u);
    expect(html).not.toContain('data-testid="history-empty"');
  });

  it('says it is loading, not "nothing found" or "no clips", when no first row is of this list', () => {
    const html = render('history', [clipView()]);
    expect(cards(html)).toBe(0);
    expect(html).toContain('Loading your clips');
    expect(html).not.toContain('data-testid="history-empty"');
    expect(html).not.toContain('data-testid="find-nothing"');
  });
});
