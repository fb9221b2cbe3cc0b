import type { BulkConversationAction } from '@switchboard/contracts';
import { useEffect, useRef, useState } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import { useLabels, useTeams, useUsers, userName } from '../../directory/hooks/useDirectory';
import { useBulkAction } from '../hooks/useBulkAction';

const ME = 'me';
const NONE = 'none';

export interface BulkToolbarProps {
  /** Rows loaded in the list, and how many of them are selected. */
  shown: number;
  selectedIds: readonly string[];
  onToggleAll: () => void;
  onClear: () => void;
  /** After an action: the ids it could not change stay selected. */
  onDone: (failedIds: string[]) => void;
}

/** Select all shown, and the actions on the selection: assign, team, status, add or remove a label. */
export function BulkToolbar({ shown, selectedIds, onToggleAll, onClear, onDone }: BulkToolbarProps) {
  const { t, locale, plural } = useI18n();
  const { user } = useSession();
  const users = useUsers();
  const teams = useTeams();
  const labels = useLabels();
  const bulk = useBulkAction();
  const [outcome, setOutcome] = useState('');
  const allBox = useRef<HTMLInputElement>(null);
  const count = selectedIds.length;
  const all = count > 0 && count === shown;

  useEffect(() => {
    if (allBox.current !== null) allBox.current.indeterminate = count > 0 && !all;
  }, [count, all]);

  function apply(action: BulkConversationAction) {
    if (count === 0 || bulk.isPending) return;
    setOutcome(plural('bulk.working', count));
    bulk.mutate(
      { ids: selectedIds, action },
      {
        onSuccess: (answer) => {
          const failed = answer.results.filter((r) => !r.ok).map((r) => r.id);
          setOutcome(
            failed.length === 0
              ? plural('bulk.done', answer.succeeded)
              : plural('bulk.partial', failed.length, { done: formatNumber(answer.succeeded, locale) }),
          );
          onDone(failed);
        },
        onError: () => setOutcome(''),
      },
    );
  }

  const activeUsers = (users.data ?? []).filter((u) => u.status === 'active' && u.id !== user.id);
  const labelList = labels.data ?? [];
  const disabled = count === 0 || bulk.isPending;

  return (
    <div className="bulk-toolbar" role="toolbar" aria-label={t('bulk.toolbar')} data-testid="bulk-toolbar">
      <div className="bulk-row">
        <label className="checkbox" title={t('bulk.rangeHint')}>
          <input
            ref={allBox}
            type="checkbox"
            checked={all}
            disabled={shown === 0}
            onChange={onToggleAll}
            data-testid="bulk-select-all"
          />
          {count === 0 ? plural('bulk.selectAll', shown) : plural('bulk.selected', count)}
        </label>
        {count === 0 ? null : (
          <button type="button" className="button-link" onClick={onClear}>
            {t('bulk.clear')}
          </button>
        )}
      </div>
      {count === 0 ? null : (
        <div className="bulk-row bulk-actions">
          <select
            aria-label={t('bulk.assign')}
            value=""
            disabled={disabled}
            onChange={(e) => {
              const v = e.target.value;
              apply({ type: 'assign', assigneeId: v === NONE ? null : v === ME ? user.id : v });
            }}
          >
            <option value="" disabled>
              {t('bulk.assignPlaceholder')}
            </option>
            <option value={ME}>{t('actions.assignMe')}</option>
            <option value={NONE}>{t('inbox.unassigned')}</option>
            {activeUsers.map((u) => (
              <option key={u.id} value={u.id}>
                {userName(u)}
              </option>
            ))}
          </select>
          <select
            aria-label={t('bulk.team')}
            value=""
            disabled={disabled}
            onChange={(e) => {
              const v = e.target.value;
              apply({ type: 'assign', teamId: v === NONE ? null : v });
            }}
          >
            <option value="" disabled>
              {t('bulk.teamPlaceholder')}
            </option>
            <option value={NONE}>{t('actions.noTeam')}</option>
            {(teams.data ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          {labelList.length === 0 ? null : (
            <>
              <select
                aria-label={t('bulk.addLabel')}
                value=""
                disabled={disabled}
                onChange={(e) => apply({ type: 'addLabel', labelId: e.target.value })}
              >
                <option value="" disabled>
                  {t('bulk.addLabelPlaceholder')}
                </option>
                {labelList.map((label) => (
                  <option key={label.id} value={label.id}>
                    {label.name}
                  </option>
                ))}
              </select>
              <select
                aria-label={t('bulk.removeLabel')}
                value=""
                disabled={disabled}
                onChange={(e) => apply({ type: 'removeLabel', labelId: e.target.value })}
              >
                <option value="" disabled>
                  {t('bulk.removeLabelPlaceholder')}
                </option>
                {labelList.map((label) => (
                  <option key={label.id} value={label.id}>
                    {label.name}
                  </option>
                ))}
              </select>
            </>
          )}
          <button
            type="button"
            className="button-primary button-inline"
            disabled={disabled}
            onClick={() => apply({ type: 'status', status: 'resolved' })}
          >
            {t('bulk.resolve')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={disabled}
            onClick={() => apply({ type: 'status', status: 'pending' })}
          >
            {t('bulk.pending')}
          </button>
          <button
            type="button"
            className="button-secondary"
            disabled={disabled}
            onClick={() => apply({ type: 'status', status: 'open' })}
          >
            {t('bulk.open')}
          </button>
        </div>
      )}
      <p className="bulk-outcome muted" role="status" data-testid="bulk-outcome">
        {outcome}
      </p>
      {bulk.error === null ? null : <FormAlert>{describeError(bulk.error, t, locale)}</FormAlert>}
    </div>
  );
}
