/**
 * The game a clip is from, editable: found from its folder or file name (app/clip/game-label.ts),
 * corrected here when the guess is wrong. Saved when the field is left or Enter is pressed, not at
 * every keystroke, and offered the games the other clips already have.
 */
import { useEffect, useId, useMemo, useState } from 'react';
import { gamesAmong } from '../../../app/clip/clip-query';
import { t } from '../../../app/i18n/translate';
import { selectGame } from '../../stores/clips-selectors';
import { useClips, useClipsActions } from '../../stores/stores-context';

export function GameField({ clipId, disabled }: { clipId: string; disabled?: boolean }) {
  const saved = useClips((state) => selectGame(state, clipId));
  const order = useClips((state) => state.order);
  const byId = useClips((state) => state.byId);
  const known = useMemo(() => gamesAmong(order, byId), [order, byId]);
  const actions = useClipsActions();
  const [text, setText] = useState(saved);
  const id = useId();
  // Another window action (a batch, main's answer) changed it: show that.
  useEffect(() => setText(saved), [saved]);

  function commit() {
    const game = text.trim();
    if (game !== saved) void actions.fieldChosen(clipId, { game });
  }

  return (
    <div className="field game-field">
      <label htmlFor={`${id}-game`}>{t('game.label')}</label>
      <input
        id={`${id}-game`}
        data-testid="game-input"
        type="text"
        list={`${id}-games`}
        maxLength={60}
        value={text}
        placeholder={t('game.placeholder')}
        disabled={disabled}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      <datalist id={`${id}-games`}>
        {known.map((game) => (
          <option key={game} value={game} />
        ))}
      </datalist>
      <p id={`${id}-hint`} className="muted small">
        {t('game.hint')}
      </p>
    </div>
  );
}
