/**
 * "Add clips...": asks main to open its own file dialog (the window never names a path), and the
 * files chosen get the same per-file answers as a drop (issue 15, item 4).
 */
import { t } from '../../../app/i18n/translate';
import { useUiActions } from '../../stores/stores-context';

/** The buttons on the empty Pending screen and in Pending's header. */
export function AddClipsButtons({ place }: { place: 'empty' | 'header' }) {
  const ui = useUiActions();
  return (
    <div className={`add-clips add-clips--${place}`} data-testid={`add-clips-${place}`}>
      <button
        type="button"
        className={place === 'empty' ? 'button button--primary' : 'button'}
        data-testid="add-clips"
        title={t('addClips.hint')}
        onClick={() => void ui.addClipsRequested('files')}
      >
        {t('addClips.files')}
      </button>
      <button
        type="button"
        className="button button--quiet"
        data-testid="add-clip-folder"
        onClick={() => void ui.addClipsRequested('folder')}
      >
        {t('addClips.folder')}
      </button>
    </div>
  );
}
