import { useId, useRef, useState, type SyntheticEvent } from 'react';
import { Disclosure } from '../../../components/Disclosure';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { toDateTimeLocal } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import { useCan, useLabels, useTeams, useUsers, userName } from '../../directory/hooks/useDirectory';
import { priorities, type Conversation, type Priority } from '../api/types';
import { useToggleLabel, useUpdateConversation } from '../hooks/useInbox';
import { useInboxCommand } from '../inboxCommands';
import { priorityLabels, statusLabels } from '../labels';

const ME = 'me';

/** Assign (me, an agent, a team), change status (resolve, pending, snooze until…), priority and labels. */
export function ConversationActions({ conversation: c }: { conversation: Conversation }) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const canManage = useCan('conversations.manage');
  const users = useUsers();
  const teams = useTeams();
  const update = useUpdateConversation(c.id);
  const toggleLabel = useToggleLabel(c.id);
  const assignId = useId();
  const teamId = useId();
  const priorityId = useId();
  const snoozeRef = useRef<HTMLDivElement>(null);
  const labelsRef = useRef<HTMLDivElement>(null);

  // The keyboard shortcuts (useInboxShortcuts) act on the open conversation through its controls.
  useInboxCommand((command) => {
    if (!canManage || update.isPending) return;
    if (command === 'resolve' && c.status !== 'resolved') update.mutate({ status: 'resolved' });
    else if (command === 'assignMe' && c.assigneeId !== user.id) update.mutate({ assigneeId: user.id });
    else if (command === 'priority') update.mutate({ priority: nextPriority(c.priority) });
    else if (command === 'snooze' && c.status !== 'resolved') openDisclosure(snoozeRef.current);
    else if (command === 'labels') openDisclosure(labelsRef.current);
  });

  if (!canManage) return <span className="chip">{t(statusLabels[c.status])}</span>;
  const activeUsers = (users.data ?? []).filter((u) => u.status === 'active' && u.id !== user.id);

  return (
    <div className="thread-actions">
      <div className="action-row">
        <label htmlFor={assignId} className="visually-hidden">
          {t('actions.assignee')}
        </label>
        <select
          id={assignId}
          value={c.assigneeId === user.id ? ME : (c.assigneeId ?? '')}
          disabled={update.isPending}
          onChange={(e) => {
            const v = e.target.value;
            update.mutate({ assigneeId: v === '' ? null : v === ME ? user.id : v });
          }}
        >
          <option value="">{t('inbox.unassigned')}</option>
          <option value={ME}>{t('actions.assignMe')}</option>
          {activeUsers.map((u) => (
            <option key={u.id} value={u.id}>
              {userName(u)}
            </option>
          ))}
        </select>
        <label htmlFor={teamId} className="visually-hidden">
          {t('actions.team')}
        </label>
        <select
          id={teamId}
          value={c.teamId ?? ''}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ teamId: e.target.value === '' ? null : e.target.value })}
        >
          <option value="">{t('actions.noTeam')}</option>
          {(teams.data ?? []).map((team) => (
            <option key={team.id} value={team.id}>
              {team.name}
            </option>
          ))}
        </select>
        <label htmlFor={priorityId} className="visually-hidden">
          {t('actions.priority')}
        </label>
        <select
          id={priorityId}
          value={c.priority}
          disabled={update.isPending}
          onChange={(e) => update.mutate({ priority: e.target.value as Priority })}
        >
          {priorities.map((p) => (
            <option key={p} value={p}>
              {`${t('actions.priority')}: ${t(priorityLabels[p])}`}
            </option>
          ))}
        </select>
      </div>
      <div className="action-row">
        <span className="chip" data-testid="conversation-status">
          {t(statusLabels[c.status])}
        </span>
        {c.status === 'resolved' ? (
          <button
            type="button"
            className="button-secondary"
            disabled={update.isPending}
            onClick={() => update.mutate({ status: 'open' })}
          >
            {t('actions.reopen')}
          </button>
        ) : (
          <button
            type="button"
            className="button-primary button-inline"
            disabled={update.isPending}
            onClick={() => update.mutate({ status: 'resolved' })}
          >
            {t('actions.resolve')}
          </button>
        )}
        {c.status !== 'pending' && c.status !== 'resolved' ? (
          <button
            type="button"
            className="button-secondary"
            disabled={update.isPending}
            onClick={() => update.mutate({ status: 'pending' })}
          >
            {t('actions.pending')}
          </button>
        ) : null}
        {c.status === 'pending' || c.status === 'snoozed' ? (
          <button
            type="button"
            className="button-secondary"
            disabled={update.isPending}
            onClick={() => update.mutate({ status: 'open' })}
          >
            {t('actions.markOpen')}
          </button>
        ) : null}
        {c.status === 'resolved' ? null : (
          <div className="action-disclosure" ref={snoozeRef}>
            <SnoozeButton
              onSnooze={(until) => update.mutate({ status: 'snoozed', snoozedUntil: until })}
              disabled={update.isPending}
            />
          </div>
        )}
        <div className="action-disclosure" ref={labelsRef}>
          <LabelsButton
            conversation={c}
            onToggle={(labelId, attached) => toggleLabel.mutate({ labelId, attached })}
          />
        </div>
      </div>
      <div data-testid="conversation-action-error">
        {update.error === null ? null : (
          <FormAlert>{t('actions.failed', { reason: describeError(update.error, t, locale) })}</FormAlert>
        )}
        {toggleLabel.error === null ? null : (
          <FormAlert>{describeError(toggleLabel.error, t, locale)}</FormAlert>
        )}
      </div>
    </div>
  );
}

/** The priority after `current`, wrapping round (the `p` shortcut). */
function nextPriority(current: Priority): Priority {
  return priorities[(priorities.indexOf(current) + 1) % priorities.length] ?? 'none';
}

/** Opens the Disclosure inside `wrapper` (a shortcut) and puts focus on its first control. */
function openDisclosure(wrapper: HTMLElement | null) {
  const button = wrapper?.querySelector<HTMLButtonElement>('.disclosure > button[aria-controls]');
  if (button === null || button === undefined) return;
  if (button.getAttribute('aria-expanded') !== 'true') button.click();
  const focusFirst = (attempt: number) => {
    const panel = document.getElementById(button.getAttribute('aria-controls') ?? '');
    const control = panel?.querySelector<HTMLElement>('input, select, button, [tabindex]');
    if (control) control.focus();
    else if (attempt < 5) requestAnimationFrame(() => focusFirst(attempt + 1));
  };
  requestAnimationFrame(() => focusFirst(0));
}

function SnoozeButton({ onSnooze, disabled }: { onSnooze: (iso: string) => void; disabled: boolean }) {
  const { t } = useI18n();
  const inputId = useId();
  const [value, setValue] = useState(() => toDateTimeLocal(new Date(Date.now() + 24 * 3_600_000)));
  return (
    <Disclosure button={t('actions.snooze')} buttonClassName="button-secondary" panelClassName="popover">
      {(close) => (
        <form
          onSubmit={(event: SyntheticEvent) => {
            event.preventDefault();
            const at = new Date(value);
            if (Number.isNaN(at.getTime())) return;
            onSnooze(at.toISOString());
            close();
          }}
        >
          <div className="field">
            <label htmlFor={inputId}>{t('actions.snoozeUntil')}</label>
            <input
              id={inputId}
              type="datetime-local"
              required
              value={value}
              min={toDateTimeLocal(new Date())}
              onChange={(e) => setValue(e.target.value)}
            />
          </div>
          <button type="submit" className="button-primary" disabled={disabled}>
            {t('actions.snooze')}
          </button>
        </form>
      )}
    </Disclosure>
  );
}

function LabelsButton({
  conversation,
  onToggle,
}: {
  conversation: Conversation;
  onToggle: (labelId: string, attached: boolean) => void;
}) {
  const { t } = useI18n();
  const labels = useLabels();
  const attached = new Set(conversation.labels.map((l) => l.id));
  return (
    <Disclosure button={t('actions.labels')} buttonClassName="button-secondary" panelClassName="popover">
      {() =>
        (labels.data ?? []).length === 0 ? (
          <p className="muted">{t('actions.noLabels')}</p>
        ) : (
          <fieldset className="label-picker">
            <legend>{t('actions.labels')}</legend>
            {(labels.data ?? []).map((label) => (
              <label key={label.id} className="checkbox">
                <input
                  type="checkbox"
                  checked={attached.has(label.id)}
                  onChange={(e) => onToggle(label.id, e.target.checked)}
                />
                <span className="label-dot" style={{ background: label.color }} aria-hidden="true" />
                {label.name}
              </label>
            ))}
          </fieldset>
        )
      }
    </Disclosure>
  );
}
