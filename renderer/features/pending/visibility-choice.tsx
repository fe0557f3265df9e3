/**
 * Visibility as a real choice: four radio buttons, each with one line saying who will see the
 * clip. The choice is saved at once.
 */
import { useId } from 'react';
import { USER_VISIBILITIES, type UserVisibility } from '../../../app/gameclips/enums';
import type { MessageKey } from '../../../app/i18n/en';
import { t } from '../../../app/i18n/translate';

const WORDS: Readonly<Record<UserVisibility, { label: MessageKey; hint: MessageKey }>> = {
  Default: { label: 'visibility.Default', hint: 'visibility.Default.hint' },
  Owner: { label: 'visibility.Owner', hint: 'visibility.Owner.hint' },
  Title: { label: 'visibility.Title', hint: 'visibility.Title.hint' },
  Public: { label: 'visibility.Public', hint: 'visibility.Public.hint' },
};

export function VisibilityChoice({
  value,
  onChoose,
  legend = t('visibility.legend'),
  testId = 'visibility',
  disabled = false,
}: {
  value: UserVisibility | undefined;
  onChoose: (visibility: UserVisibility) => void;
  legend?: string;
  testId?: string;
  /** Read-only clips (cancelled, refused) show their choice but take none. */
  disabled?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="choice" data-testid={testId} disabled={disabled}>
      <legend className="field-label">{legend}</legend>
      {USER_VISIBILITIES.map((visibility) => {
        const id = `${name}-${visibility}`;
        return (
          <div className="choice__option" key={visibility}>
            <input
              type="radio"
              id={id}
              name={name}
              value={visibility}
              checked={value === visibility}
              aria-describedby={`${id}-hint`}
              data-testid={`${testId}-${visibility}`}
              onChange={() => onChoose(visibility)}
            />
            <label htmlFor={id}>
              <span className="choice__label">{t(WORDS[visibility].label)}</span>
              <span className="choice__hint muted" id={`${id}-hint`}>
                {t(WORDS[visibility].hint)}
              </span>
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}
