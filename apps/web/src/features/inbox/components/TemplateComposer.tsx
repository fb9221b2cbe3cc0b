import type { TemplateView } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useId, useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { listTemplates, previewTemplate } from '../api/conversationsApi';
import { useSendMessage } from '../hooks/useInbox';
import {
  buildTemplateParameters,
  emptyTemplateValues,
  headerKind,
  missingTemplateValues,
  type TemplateValues,
} from '../templateParameters';

/** Outside the 24-hour window only an approved template can go: pick one, fill it, see it, send it. */
export function TemplateComposer({ conversationId, numberId }: { conversationId: string; numberId: string }) {
  const { t } = useI18n();
  const searchId = useId();
  const [q, setQ] = useState('');
  const query = useDeferredValue(q.trim());
  const [selected, setSelected] = useState<TemplateView>();
  const templates = useQuery({
    queryKey: ['templates', numberId, query],
    queryFn: ({ signal }) => listTemplates(numberId, query, signal),
    staleTime: 60_000,
  });

  if (selected !== undefined) {
    return (
      <TemplateForm
        key={selected.id}
        conversationId={conversationId}
        numberId={numberId}
        template={selected}
        onBack={() => setSelected(undefined)}
      />
    );
  }
  return (
    <div className="template-picker" data-testid="template-picker">
      <label htmlFor={searchId}>{t('templates.search')}</label>
      <input
        id={searchId}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder={t('templates.searchPlaceholder')}
      />
      {templates.isPending ? (
        <Skeleton lines={2} />
      ) : templates.isError ? (
        <QueryError error={templates.error} onRetry={() => void templates.refetch()} />
      ) : templates.data.length === 0 ? (
        <p className="muted">{t('templates.none')}</p>
      ) : (
        <ul className="template-list">
          {templates.data.map((template) => (
            <li key={template.id}>
              <button type="button" className="template-choice" onClick={() => setSelected(template)}>
                <strong>{template.name}</strong>
                <span className="muted small">
                  {template.language} · {template.category}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function TemplateForm({
  conversationId,
  numberId,
  template,
  onBack,
}: {
  conversationId: string;
  numberId: string;
  template: TemplateView;
  onBack: () => void;
}) {
  const { t, locale } = useI18n();
  const [values, setValues] = useState<TemplateValues>(emptyTemplateValues);
  const [showMissing, setShowMissing] = useState(false);
  const send = useSendMessage(conversationId);
  const parameters = buildTemplateParameters(template, values);
  const missing = missingTemplateValues(template, values);
  const deferred = useDeferredValue(parameters);
  const preview = useQuery({
    queryKey: ['templates', 'preview', template.id, deferred],
    queryFn: ({ signal }) => previewTemplate(numberId, template.id, deferred, signal),
    enabled: missing.length === 0,
    retry: false,
  });
  const kind = headerKind(template);
  const errorFor = (key: string) =>
    showMissing && missing.includes(key) ? t('validation.required') : undefined;

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    setShowMissing(true);
    if (missing.length > 0 || kind === 'unsupported') return;
    send.mutate(
      { type: 'template', template: { name: template.name, language: template.language, parameters } },
      { onSuccess: onBack },
    );
  }

  return (
    <form className="template-form" onSubmit={submit} noValidate data-testid="template-form">
      <div className="template-form-header">
        <strong>{template.name}</strong>
        <span className="muted small">
          {template.language} · {template.category}
        </span>
        <button type="button" className="button-link" onClick={onBack}>
          {t('templates.back')}
        </button>
      </div>
      {kind === 'unsupported' ? <FormAlert>{t('templates.unsupportedHeader')}</FormAlert> : null}
      <div className="template-columns">
        <div>
          {kind === 'text' || kind === 'media' ? (
            <TextField
              name="header"
              label={kind === 'text' ? t('templates.headerText') : t('templates.headerLink')}
              value={values.header}
              onChange={(header) => setValues((v) => ({ ...v, header }))}
              error={errorFor('header')}
            />
          ) : null}
          {template.needs.body.map((name) => (
            <TextField
              key={name}
              name={`body-${name}`}
              label={t('templates.variable', { name: `{{${name}}}` })}
              value={values.body[name] ?? ''}
              onChange={(text) => setValues((v) => ({ ...v, body: { ...v.body, [name]: text } }))}
              error={errorFor(`body.${name}`)}
            />
          ))}
          {template.needs.buttons.map((button) => (
            <TextField
              key={button.index}
              name={`button-${button.index}`}
              label={t('templates.buttonValue', { index: button.index + 1, type: button.type })}
              value={values.buttons[button.index] ?? ''}
              onChange={(text) =>
                setValues((v) => ({ ...v, buttons: { ...v.buttons, [button.index]: text } }))
              }
              error={errorFor(`buttons.${button.index}`)}
            />
          ))}
          {template.needs.body.length === 0 && kind === 'none' && template.needs.buttons.length === 0 ? (
            <p className="muted">{t('templates.noParameters')}</p>
          ) : null}
        </div>
        <div className="template-preview" aria-live="polite">
          <p className="muted small">{t('templates.preview')}</p>
          {missing.length > 0 ? (
            <p className="muted">{t('templates.fillToPreview')}</p>
          ) : preview.isPending ? (
            <Skeleton lines={2} />
          ) : preview.isError ? (
            <p className="field-error">{describeError(preview.error, t, locale)}</p>
          ) : (
            <div className="message message-outbound" data-testid="template-preview">
              {preview.data.header?.type === 'text' ? (
                <p className="message-text">{preview.data.header.text}</p>
              ) : null}
              <p className="message-text">{preview.data.body}</p>
              {preview.data.footer === null ? null : <p className="muted small">{preview.data.footer}</p>}
              {preview.data.buttons.map((b) => (
                <span key={b.index} className="chip">
                  {b.text}
                </span>
              ))}
            </div>
          )}
        </div>
      </div>
      <div className="composer-footer">
        <span className="muted">{t('templates.hint')}</span>
        <button
          type="submit"
          className="button-primary button-inline"
          disabled={send.isPending || kind === 'unsupported'}
        >
          {t('templates.send')}
        </button>
      </div>
      {send.isError ? <FormAlert>{describeError(send.error, t, locale)}</FormAlert> : null}
    </form>
  );
}
