import { NOTE_MAX_LENGTH } from '@switchboard/contracts';
import { useState, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { useI18n } from '../../../lib/i18n/useI18n';
import { mentionedIds, type Mentionable } from '../composerText';
import { useCannedFill } from '../hooks/useCannedFill';
import { useTypingSender } from '../hooks/useTyping';
import { useAddNote } from '../hooks/useInbox';
import { ComposerTextarea } from './ComposerTextarea';

/** A private note for colleagues: never sent to the customer; @mentions notify the people named. */
export function NoteComposer({ conversationId }: { conversationId: string }) {
  const { t, locale } = useI18n();
  const [text, setText] = useState('');
  const [picked, setPicked] = useState<Mentionable[]>([]);
  const addNote = useAddNote(conversationId);
  const canned = useCannedFill(conversationId, setText);
  useTypingSender(conversationId, text);
  const tooLong = text.length > NOTE_MAX_LENGTH;

  function submit(event?: SyntheticEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (body === '' || tooLong || addNote.isPending) return;
    addNote.mutate(
      { body, mentions: mentionedIds(body, picked) },
      {
        onSuccess: () => {
          setText('');
          setPicked([]);
        },
      },
    );
  }

  const error = addNote.error ?? canned.error;
  return (
    <form className="composer-form" onSubmit={submit}>
      <ComposerTextarea
        label={t('composer.noteLabel')}
        placeholder={t('composer.notePlaceholder')}
        value={text}
        onChange={setText}
        onSubmit={submit}
        allowMentions
        onMention={(person) => setPicked((list) => [...list, person])}
        onCanned={(id) => canned.mutate(id)}
        testId="note-input"
      />
      <div className="composer-footer">
        <span className="muted">
          {tooLong ? t('validation.tooLong', { max: NOTE_MAX_LENGTH }) : t('composer.noteHint')}
        </span>
        <button
          type="submit"
          className="button-primary button-inline"
          disabled={addNote.isPending || text.trim() === '' || tooLong}
        >
          {t('composer.addNote')}
        </button>
      </div>
      {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
    </form>
  );
}
