/**
 * Find any clip: search words, filters (state, game, visibility, recording dates) and a sort order
 * over one list. The query lives in the `ui` store, per list, so it is kept while the app runs;
 * the list applies it through app/clip/clip-query.ts.
 */
import { useDeferredValue, useId, useMemo } from 'react';
import type { ClipState } from '../../../app/clip/clip';
import {
  CLIP_SORTS,
  NO_GAME,
  gamesAmong,
  isFiltering,
  panelFilterCount,
  queryClips,
  type ClipQuery,
  type ClipSort,
} from '../../../app/clip/clip-query';
import { USER_VISIBILITIES, type UserVisibility } from '../../../app/gameclips/enums';
import type { MessageKey } from '../../../app/i18n/en';
import { t } from '../../../app/i18n/translate';
import { useClips, useUi, useUiActions } from '../../stores/stores-context';
import type { ListName } from '../../stores/ui-store';

/** The states a user can find in each list. */
const STATES: Readonly<Record<ListName, readonly ClipState[]>> = {
  pending: [
    'reserved',
    'uploading',
    'paused',
    'processing',
    'waiting-retry',
    'reserving',
    'blocked',
  ],
  history: ['published', 'failed', 'cancelled', 'rejected', 'missing', 'incomplete'],
};

const SORT_LABEL: Readonly<Record<ClipSort, MessageKey>> = {
  newest: 'find.sort.newest',
  oldest: 'find.sort.oldest',
  largest: 'find.sort.largest',
  smallest: 'find.sort.smallest',
  longest: 'find.sort.longest',
  shortest: 'find.sort.shortest',
  name: 'find.sort.name',
};

/** The ids of `ids` the list's query lets through, memoized on the list, the clips and the query. */
export function useFoundIds(list: ListName, ids: readonly string[]): readonly string[] {
  // The list follows the query a beat behind the search field: each keystroke paints the field
  // at once, and the 5,000-clip filter renders in the time React has left (P8).
  const query = useDeferredValue(useUi((state) => state.queries[list]));
  const byId = useClips((state) => state.byId);
  return useMemo(() => queryClips(ids, byId, query), [ids, byId, query]);
}

export function ClipFilterBar({
  list,
  ids,
  shown,
  complete = true,
}: {
  list: ListName;
  /** Every clip of the list, before the query. */
  ids: readonly string[];
  /** How many the query lets through. */
  shown: number;
  /**
   * False while only a new window's first rows are in: the bar is shown as it will be, but the
   * query cannot change and no count is given until every clip is here.
   */
  complete?: boolean;
}) {
  const query = useUi((state) => state.queries[list]);
  const open = useUi((state) => state.filtersOpen[list]);
  const ui = useUiActions();
  const base = useId();
  const change = (patch: Partial<ClipQuery>) => ui.queryChanged(list, patch);
  const filtering = isFiltering(query);
  const set = panelFilterCount(query);

  return (
    <div
      className="find"
      role="search"
      aria-label={t('find.label')}
      data-testid={`find-${list}`}
      inert={!complete}
      aria-busy={!complete}
    >
      <div className="find__row">
        <input
          type="search"
          className="find__search"
          data-testid="find-text"
          placeholder={t('find.placeholder')}
          aria-label={t('find.placeholder')}
          value={query.text}
          onChange={(event) => change({ text: event.currentTarget.value })}
        />
        <button
          type="button"
          className={`button button--small find__toggle${set > 0 ? ' find__toggle--set' : ''}`}
          data-testid="find-filters"
          aria-expanded={open}
          aria-controls={`${base}-panel`}
          onClick={() => ui.filtersToggled(list)}
        >
          {set > 0 ? t('find.filtersSet', { count: set }) : t('find.filters')}
        </button>
        <label className="find__field find__field--inline" htmlFor={`${base}-sort`}>
          <span>{t('find.sort')}</span>
          <select
            id={`${base}-sort`}
            data-testid="find-sort"
            value={query.sort}
            onChange={(event) => change({ sort: event.currentTarget.value as ClipSort })}
          >
            {CLIP_SORTS.map((sort) => (
              <option key={sort} value={sort}>
                {t(SORT_LABEL[sort])}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* The panel mounts only when open: its game list walks every clip of the list, and its
          five fields are most of the bar's cost, so a closed panel keeps the first render light. */}
      {open ? (
        <FilterPanel id={`${base}-panel`} list={list} ids={ids} query={query} change={change} />
      ) : null}
      {filtering ? (
        <p className="find__summary" role="status" data-testid="find-summary">
          <span>
            {complete ? t('find.shown', { shown, total: ids.length }) : t('list.loading')}
          </span>
          <button
            type="button"
            className="button button--small"
            data-testid="find-clear"
            onClick={() => ui.filtersCleared(list)}
          >
            {t('find.clear')}
          </button>
        </p>
      ) : null}
    </div>
  );
}

function FilterPanel({
  id,
  list,
  ids,
  query,
  change,
}: {
  id: string;
  list: ListName;
  ids: readonly string[];
  query: ClipQuery;
  change: (patch: Partial<ClipQuery>) => void;
}) {
  const byId = useClips((state) => state.byId);
  const games = useMemo(() => gamesAmong(ids, byId), [ids, byId]);
  return (
    <div className="find__panel" id={id} data-testid="find-panel">
      <label className="find__field" htmlFor={`${id}-state`}>
        <span>{t('find.state')}</span>
        <select
          id={`${id}-state`}
          data-testid="find-state"
          value={query.state}
          onChange={(event) => change({ state: event.currentTarget.value as ClipQuery['state'] })}
        >
          <option value="any">{t('find.any')}</option>
          {STATES[list].map((state) => (
            <option key={state} value={state}>
              {t(`state.${state}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="find__field" htmlFor={`${id}-game`}>
        <span>{t('find.game')}</span>
        <select
          id={`${id}-game`}
          data-testid="find-game"
          value={query.game}
          onChange={(event) => change({ game: event.currentTarget.value })}
        >
          <option value="">{t('find.anyGame')}</option>
          {games.map((game) => (
            <option key={game} value={game}>
              {game}
            </option>
          ))}
          <option value={NO_GAME}>{t('find.noGame')}</option>
        </select>
      </label>
      <label className="find__field" htmlFor={`${id}-visibility`}>
        <span>{t('find.visibility')}</span>
        <select
          id={`${id}-visibility`}
          data-testid="find-visibility"
          value={query.visibility}
          onChange={(event) =>
            change({ visibility: event.currentTarget.value as UserVisibility | 'any' })
          }
        >
          <option value="any">{t('find.any')}</option>
          {USER_VISIBILITIES.map((visibility) => (
            <option key={visibility} value={visibility}>
              {t(`visibility.${visibility}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="find__field" htmlFor={`${id}-from`}>
        <span>{t('find.from')}</span>
        <input
          id={`${id}-from`}
          type="date"
          data-testid="find-from"
          value={query.from}
          max={query.to || undefined}
          onChange={(event) => change({ from: event.currentTarget.value })}
        />
      </label>
      <label className="find__field" htmlFor={`${id}-to`}>
        <span>{t('find.to')}</span>
        <input
          id={`${id}-to`}
          type="date"
          data-testid="find-to"
          value={query.to}
          min={query.from || undefined}
          onChange={(event) => change({ to: event.currentTarget.value })}
        />
      </label>
    </div>
  );
}

/** What a list says when the query hides every clip it has. */
export function NothingFound({ list }: { list: ListName }) {
  const ui = useUiActions();
  return (
    <div className="empty" data-testid="find-nothing">
      <h3>{t('find.nothingTitle')}</h3>
      <p>{t('find.nothingBody')}</p>
      <button type="button" className="button" onClick={() => ui.filtersCleared(list)}>
        {t('find.clear')}
      </button>
    </div>
  );
}
