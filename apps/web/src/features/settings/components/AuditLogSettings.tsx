import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type SyntheticEvent } from 'react';
import { SelectField } from '../../../components/form/Fields';
import { QueryError } from '../../../components/QueryError';
import { Skeleton } from '../../../components/Skeleton';
import { TextField } from '../../../components/TextField';
import { formatDateTime } from '../../../lib/i18n/translate';
import { useI18n } from '../../../lib/i18n/useI18n';
import { userName, useUsers } from '../../directory/hooks/useDirectory';
import { listAuditLog, type AuditEntry } from '../api/settingsApi';
import { auditRange, describeChanges } from '../auditChanges';
import { auditActionLabel, auditActorTypeLabel, auditTargetTypeLabel } from '../auditLabels';
import { SettingsSection } from './SettingsSection';

interface AuditFilters {
  action: string;
  actorId: string;
  targetId: string;
  from: string;
  to: string;
}

const empty: AuditFilters = { action: '', actorId: '', targetId: '', from: '', to: '' };

/** A code in words when this app knows it; the raw code otherwise, so nothing is hidden. */
function Coded({ label, code }: { label: string | undefined; code: string }) {
  return label === undefined ? (
    <span className="mono" data-code={code}>
      {code}
    </span>
  ) : (
    <span title={code} data-code={code}>
      {label}
    </span>
  );
}

/** Who did it: their name or key, with the kind of actor when it is not a user. */
function Actor({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const type = <Coded label={auditActorTypeLabel(entry.actorType, t)} code={entry.actorType} />;
  if (entry.actorLabel === null) return type;
  return (
    <>
      {entry.actorLabel}
      {entry.actorType === 'user' ? null : <span className="muted small"> · {type}</span>}
    </>
  );
}

function Changes({ entry }: { entry: AuditEntry }) {
  const { t } = useI18n();
  const changes = describeChanges(entry.before, entry.after);
  if (changes.length === 0) return null;
  return (
    <details>
      <summary>{t('audit.changes')}</summary>
      <dl className="facts">
        {changes.map((c) => (
          <div key={c.field} className="change">
            <dt className="mono">{c.field}</dt>
            <dd>
              {c.before === undefined ? '' : <del>{c.before}</del>}{' '}
              {c.after === undefined ? '' : <ins>{c.after}</ins>}
            </dd>
          </div>
        ))}
      </dl>
    </details>
  );
}

export function AuditLogSettings() {
  const { t, locale } = useI18n();
  const users = useUsers();
  const [draft, setDraft] = useState<AuditFilters>(empty);
  const [filters, setFilters] = useState<AuditFilters>(empty);
  const query = {
    action: filters.action,
    actorId: filters.actorId,
    targetId: filters.targetId,
    ...auditRange(filters.from, filters.to),
    limit: 50,
  };
  const log = useInfiniteQuery({
    queryKey: ['settings', 'audit', query],
    queryFn: ({ pageParam, signal }) => listAuditLog({ ...query, cursor: pageParam }, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const set = (patch: Partial<AuditFilters>) => setDraft((d) => ({ ...d, ...patch }));
  const entries = log.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <SettingsSection title={t('settings.audit')} intro={t('audit.intro')}>
      <form
        className="settings-form audit-filters"
        onSubmit={(event: SyntheticEvent) => {
          event.preventDefault();
          setFilters(draft);
        }}
      >
        <TextField
          name="action"
          label={t('audit.action')}
          hint={t('audit.actionHint')}
          value={draft.action}
          onChange={(v) => set({ action: v })}
          maxLength={100}
        />
        <SelectField
          label={t('audit.actor')}
          value={draft.actorId}
          onChange={(v) => set({ actorId: v })}
          options={[
            { value: '', label: t('inbox.any') },
            ...(users.data ?? []).map((u) => ({ value: u.id, label: userName(u) })),
          ]}
        />
        <TextField
          name="targetId"
          label={t('audit.target')}
          value={draft.targetId}
          onChange={(v) => set({ targetId: v })}
          maxLength={100}
        />
        <div className="field">
          <label htmlFor="audit-from">{t('audit.from')}</label>
          <input
            id="audit-from"
            type="date"
            value={draft.from}
            onChange={(e) => set({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">{t('audit.to')}</label>
          <input id="audit-to" type="date" value={draft.to} onChange={(e) => set({ to: e.target.value })} />
        </div>
        <div className="form-actions">
          <button type="submit" className="button-primary button-inline">
            {t('audit.apply')}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              setDraft(empty);
              setFilters(empty);
            }}
          >
            {t('inbox.clearFilters')}
          </button>
        </div>
      </form>
      {log.isPending ? (
        <Skeleton lines={6} />
      ) : log.isError ? (
        <QueryError error={log.error} onRetry={() => void log.refetch()} />
      ) : entries.length === 0 ? (
        <p className="muted">{t('audit.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="sessions-table audit-table">
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.actor')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
                <th scope="col">{t('sessions.ip')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id}>
                  <td>
                    <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, locale)}</time>
                  </td>
                  <td>
                    <Actor entry={e} />
                  </td>
                  <th scope="row">
                    <Coded label={auditActionLabel(e.action, t)} code={e.action} />
                    <Changes entry={e} />
                  </th>
                  <td className="small">
                    {e.targetType === null ? null : (
                      <Coded label={auditTargetTypeLabel(e.targetType, t)} code={e.targetType} />
                    )}
                    {e.targetId === null ? null : <span className="muted mono"> · {e.targetId}</span>}
                  </td>
                  <td className="small">{e.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <button
          type="button"
          className="button-secondary"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          {t('common.loadMore')}
        </button>
      ) : null}
    </SettingsSection>
  );
}
