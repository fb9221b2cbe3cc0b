import { useId, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useLabels, useNumbers, useTeams } from '../../directory/hooks/useDirectory';
import { conversationStatuses, priorities } from '../api/types';
import { activeFilterCount, defaultFilters, writeInboxFilters, type InboxFilters } from '../inboxFilters';
import { priorityLabels, statusLabels } from '../labels';

function Select({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <div className="filter-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {children}
      </select>
    </div>
  );
}

const orUndefined = (v: string) => (v === '' ? undefined : v);

export function InboxFilterBar({ filters }: { filters: InboxFilters }) {
  const { t } = useI18n();
  const [, setSearchParams] = useSearchParams();
  const numbers = useNumbers();
  const teams = useTeams();
  const labels = useLabels();
  const set = (patch: Partial<InboxFilters>) => setSearchParams(writeInboxFilters({ ...filters, ...patch }));
  const active = activeFilterCount(filters);

  return (
    <div className="inbox-filters" role="group" aria-label={t('inbox.filtersLabel')}>
      <Select
        label={t('inbox.filterStatus')}
        value={filters.status}
        onChange={(v) => set({ status: v as InboxFilters['status'] })}
      >
        {conversationStatuses.map((s) => (
          <option key={s} value={s}>
            {t(statusLabels[s])}
          </option>
        ))}
        <option value="all">{t('inbox.statusAll')}</option>
      </Select>
      <Select
        label={t('inbox.filterPriority')}
        value={filters.priority ?? ''}
        onChange={(v) => set({ priority: orUndefined(v) as InboxFilters['priority'] })}
      >
        <option value="">{t('inbox.any')}</option>
        {priorities.map((p) => (
          <option key={p} value={p}>
            {t(priorityLabels[p])}
          </option>
        ))}
      </Select>
      <Select
        label={t('inbox.filterNumber')}
        value={filters.numberId ?? ''}
        onChange={(v) => set({ numberId: orUndefined(v) })}
      >
        <option value="">{t('inbox.any')}</option>
        {(numbers.data ?? []).map((n) => (
          <option key={n.id} value={n.id}>
            {`${n.purpose} · ${n.displayPhoneNumber}`}
          </option>
        ))}
      </Select>
      <Select
        label={t('inbox.filterTeam')}
        value={filters.teamId ?? ''}
        onChange={(v) => set({ teamId: orUndefined(v) })}
      >
        <option value="">{t('inbox.any')}</option>
        {(teams.data ?? []).map((team) => (
          <option key={team.id} value={team.id}>
            {team.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('inbox.filterLabel')}
        value={filters.labelId ?? ''}
        onChange={(v) => set({ labelId: orUndefined(v) })}
      >
        <option value="">{t('inbox.any')}</option>
        {(labels.data ?? []).map((label) => (
          <option key={label.id} value={label.id}>
            {label.name}
          </option>
        ))}
      </Select>
      <Select
        label={t('inbox.filterUnread')}
        value={filters.unread === undefined ? '' : String(filters.unread)}
        onChange={(v) => set({ unread: v === '' ? undefined : v === 'true' })}
      >
        <option value="">{t('inbox.any')}</option>
        <option value="true">{t('inbox.unreadOnly')}</option>
        <option value="false">{t('inbox.readOnly')}</option>
      </Select>
      {active > 0 ? (
        <button
          type="button"
          className="button-link"
          onClick={() => set({ ...defaultFilters, tab: filters.tab, status: filters.status })}
        >
          {t('inbox.clearFilters')}
        </button>
      ) : null}
    </div>
  );
}
