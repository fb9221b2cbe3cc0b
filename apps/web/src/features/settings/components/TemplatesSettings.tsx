import type { TemplateView } from '@switchboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { SelectField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import type { PlainMessageKey } from '../../../lib/i18n/types';
import { useNumbers } from '../../directory/hooks/useDirectory';
import { deleteTemplate, listTemplates, syncTemplates, templateKeys } from '../api/templatesApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import { previewOf, templateFormFrom } from '../templateForm';
import { ConfirmButton } from './ConfirmButton';
import { SettingsSection } from './SettingsSection';
import { categoryLabels, describeTemplateError, TemplateForm } from './TemplateForm';
import { TemplatePreview } from './TemplatePreview';
import '../../../styles/templates.css';

const statusLabels: Readonly<Record<string, PlainMessageKey>> = {
  APPROVED: 'templatesAdmin.statusApproved',
  PENDING: 'templatesAdmin.statusPending',
  REJECTED: 'templatesAdmin.statusRejected',
  PAUSED: 'templatesAdmin.statusPaused',
  DISABLED: 'templatesAdmin.statusDisabled',
};
/** Meta lets these be edited; the rest wait for review or are off for good. */
const EDITABLE = ['APPROVED', 'REJECTED', 'PAUSED'];
/** While Meta reviews a template, the list is read again now and then to show the outcome. */
const REVIEW_POLL_MS = 3000;

export function TemplatesSettings() {
  const { t } = useI18n();
  const numbers = useNumbers();
  const [params, setParams] = useSearchParams();
  const numberId = params.get('number') ?? numbers.data?.[0]?.id ?? '';

  return (
    <SettingsSection title={t('settings.templates')} intro={t('templatesAdmin.intro')}>
      {numbers.isPending ? (
        <Skeleton />
      ) : numbers.isError ? (
        <QueryError error={numbers.error} onRetry={() => void numbers.refetch()} />
      ) : numbers.data.length === 0 ? (
        <p className="muted">{t('templatesAdmin.noNumbers')}</p>
      ) : (
        <>
          <SelectField
            label={t('templatesAdmin.number')}
            value={numberId}
            onChange={(v) => setParams({ number: v }, { replace: true })}
            options={numbers.data.map((n) => ({
              value: n.id,
              label: `${n.purpose} · ${n.displayPhoneNumber}`,
            }))}
          />
          <NumberTemplates key={numberId} numberId={numberId} />
        </>
      )}
    </SettingsSection>
  );
}

function NumberTemplates({ numberId }: { numberId: string }) {
  const { t, locale } = useI18n();
  const [editing, setEditing] = useState<string>();
  const list = useQuery({
    queryKey: templateKeys.ofNumber(numberId),
    queryFn: ({ signal }) => listTemplates(numberId, signal),
    refetchInterval: (query) =>
      query.state.data?.some((tpl) => tpl.status === 'PENDING') === true ? REVIEW_POLL_MS : false,
  });
  const sync = useAdminMutation(() => syncTemplates(numberId), [templateKeys.ofNumber(numberId)]);
  const remove = useAdminMutation(
    (templateId: string) => deleteTemplate(numberId, templateId),
    [templateKeys.ofNumber(numberId)],
  );

  return (
    <>
      <div className="form-actions">
        {editing === 'new' ? null : (
          <button type="button" className="button-primary button-inline" onClick={() => setEditing('new')}>
            {t('templatesAdmin.new')}
          </button>
        )}
        <button
          type="button"
          className="button-secondary"
          disabled={sync.isPending}
          onClick={() => sync.mutate(undefined)}
        >
          {sync.isPending ? t('templatesAdmin.syncing') : t('templatesAdmin.sync')}
        </button>
      </div>
      {sync.isSuccess ? (
        <FormAlert tone="success">
          {t('templatesAdmin.synced', {
            fetched: sync.data.fetched,
            created: sync.data.created,
            updated: sync.data.updated,
            deleted: sync.data.deleted,
          })}
        </FormAlert>
      ) : null}
      {sync.isError ? <FormAlert>{describeTemplateError(sync.error, t, locale)}</FormAlert> : null}
      {remove.isError ? <FormAlert>{describeTemplateError(remove.error, t, locale)}</FormAlert> : null}
      {editing === 'new' ? (
        <section aria-labelledby="new-template-title">
          <h3 id="new-template-title">{t('templatesAdmin.new')}</h3>
          <TemplateForm numberId={numberId} onDone={() => setEditing(undefined)} />
        </section>
      ) : null}
      {list.isPending ? (
        <Skeleton />
      ) : list.isError ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.length === 0 ? (
        <p className="muted">{t('templatesAdmin.empty')}</p>
      ) : (
        <ul className="settings-cards" aria-label={t('settings.templates')}>
          {list.data.map((tpl) => (
            <li key={tpl.id} className="settings-card" data-testid="template-card">
              {editing === tpl.id ? (
                <TemplateForm numberId={numberId} template={tpl} onDone={() => setEditing(undefined)} />
              ) : (
                <TemplateCard
                  template={tpl}
                  onEdit={() => setEditing(tpl.id)}
                  onDelete={() => remove.mutate(tpl.id)}
                  deleting={remove.isPending}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function TemplateCard({
  template: tpl,
  onEdit,
  onDelete,
  deleting,
}: {
  template: TemplateView;
  onEdit: () => void;
  onDelete: () => void;
  deleting: boolean;
}) {
  const { t, locale } = useI18n();
  const statusKey = statusLabels[tpl.status];
  const categoryKey = categoryLabels[tpl.category];
  const reason = tpl.statusReason !== null && tpl.statusReason !== 'NONE' ? tpl.statusReason : null;
  return (
    <>
      <div className="card-header">
        <h3 className="mono">{tpl.name}</h3>
        <span
          className={`chip tpl-status tpl-status-${tpl.status.toLowerCase()}`}
          data-testid="template-status"
        >
          {statusKey === undefined ? tpl.status : t(statusKey)}
        </span>
      </div>
      {reason === null ? null : (
        <p className={tpl.status === 'APPROVED' ? 'muted' : 'alert alert-error'} role="note">
          {t('templatesAdmin.reason', { reason })}
        </p>
      )}
      <dl className="facts">
        <dt>{t('templatesAdmin.category')}</dt>
        <dd>{categoryKey === undefined ? tpl.category : t(categoryKey)}</dd>
        <dt>{t('templatesAdmin.language')}</dt>
        <dd className="mono">{tpl.language}</dd>
        <dt>{t('templatesAdmin.updated')}</dt>
        <dd>
          <time dateTime={tpl.updatedAt}>{formatDateTime(tpl.updatedAt, locale)}</time>
        </dd>
      </dl>
      <details className="tpl-details">
        <summary>{t('templatesAdmin.showPreview')}</summary>
        <TemplatePreview preview={previewOf(templateFormFrom(tpl))} />
      </details>
      <div className="form-actions">
        {EDITABLE.includes(tpl.status) ? (
          <button type="button" className="button-secondary" onClick={onEdit}>
            {t('common.edit')}
          </button>
        ) : null}
        {tpl.status === 'DISABLED' ? null : (
          <ConfirmButton
            label={t('common.delete')}
            confirmLabel={t('templatesAdmin.confirmDelete', { name: tpl.name, language: tpl.language })}
            onConfirm={onDelete}
            disabled={deleting}
          />
        )}
      </div>
    </>
  );
}
