import { useI18n } from '../../../lib/i18n/useI18n';
import type { PlainMessageKey } from '../../../lib/i18n/types';
import type { PreviewModel } from '../templateForm';

const mediaLabels: Readonly<Record<string, PlainMessageKey>> = {
  IMAGE: 'templatesAdmin.headerImage',
  VIDEO: 'templatesAdmin.headerVideo',
  DOCUMENT: 'templatesAdmin.headerDocument',
};

/** A template as the customer's phone shows it, with the examples in place of the parameters. */
export function TemplatePreview({ preview }: { preview: PreviewModel }) {
  const { t } = useI18n();
  const { header } = preview;
  return (
    <figure className="tpl-preview" aria-label={t('templatesAdmin.preview')}>
      <figcaption className="muted">{t('templatesAdmin.preview')}</figcaption>
      <div className="tpl-bubble" data-testid="template-preview">
        {header === null ? null : header.kind === 'text' ? (
          <p className="tpl-header">{header.text}</p>
        ) : (
          <p
            className="tpl-media"
            role="img"
            aria-label={t(mediaLabels[header.format] ?? 'templatesAdmin.headerImage')}
          >
            {t(mediaLabels[header.format] ?? 'templatesAdmin.headerImage')}
          </p>
        )}
        <p className="tpl-body">
          {preview.body === '' ? (
            <span className="muted">{t('templatesAdmin.previewEmpty')}</span>
          ) : (
            preview.body
          )}
        </p>
        {preview.footer === null ? null : <p className="tpl-footer muted">{preview.footer}</p>}
      </div>
      {preview.buttons.length === 0 ? null : (
        <ul className="tpl-buttons">
          {preview.buttons.map((b, i) => (
            <li key={i}>{b.text === '' ? '…' : b.text}</li>
          ))}
        </ul>
      )}
    </figure>
  );
}
