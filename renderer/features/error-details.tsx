/**
 * The technical line behind an error (a service's own message, a container detail), kept behind a
 * "Details" disclosure: the sentence above it says what happened and what to do, in plain words;
 * the detail is for those who want it, and for a bug report.
 */
import { t } from '../../app/i18n/translate';

export function ErrorDetails({ detail }: { detail: string | undefined }) {
  if (detail === undefined || detail === '') return null;
  return (
    <details className="error-details" data-testid="error-details">
      <summary>{t('error.details')}</summary>
      <span className="error-detail">{detail}</span>
    </details>
  );
}
