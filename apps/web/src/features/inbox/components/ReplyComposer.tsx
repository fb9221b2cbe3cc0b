import { useId, useRef, useState, type DragEvent, type SyntheticEvent } from 'react';
import { FormAlert } from '../../../components/FormAlert';
import { describeError } from '../../../lib/api/describeError';
import { formatNumber } from '../../../lib/i18n/format';
import { useI18n } from '../../../lib/i18n/useI18n';
import { useSession } from '../../auth/hooks/useMe';
import type { Message } from '../api/types';
import { mediaKindOf, takesCaption } from '../attachments';
import { useCannedFill } from '../hooks/useCannedFill';
import { useTypingSender } from '../hooks/useTyping';
import { useSendFile, useSendText } from '../hooks/useInbox';
import { localizedPreviewOf } from '../messageModel';
import { ComposerTextarea } from './ComposerTextarea';

/** WhatsApp text bodies hold up to 4,096 characters; captions 1,024. */
const TEXT_MAX_LENGTH = 4096;
const CAPTION_MAX_LENGTH = 1024;

/**
 * Free text to the customer, shown at once as queued and restored to the box if the API refuses
 * it; or a file (picked, dropped or pasted) with the text as its caption.
 */
export function ReplyComposer({
  conversationId,
  replyTo,
  onClearReply,
}: {
  conversationId: string;
  replyTo: Message | undefined;
  onClearReply: () => void;
}) {
  const { t, locale } = useI18n();
  const { user } = useSession();
  const fileInputId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File>();
  const [dragging, setDragging] = useState(false);
  const send = useSendText(conversationId, user.id);
  const sendFile = useSendFile(conversationId);
  const canned = useCannedFill(conversationId, setText);
  useTypingSender(conversationId, text);
  const captionAllowed = file === undefined || takesCaption(mediaKindOf(file.type));
  const max = file === undefined ? TEXT_MAX_LENGTH : CAPTION_MAX_LENGTH;
  const tooLong = text.length > max;
  const quote = replyTo === undefined ? {} : { replyTo };

  function submit(event?: SyntheticEvent) {
    event?.preventDefault();
    const body = text.trim();
    if (tooLong || sendFile.isPending) return;
    if (file !== undefined) {
      sendFile.mutate(
        { file, caption: captionAllowed ? body : '', ...quote },
        {
          onSuccess: () => {
            setFile(undefined);
            setText('');
            onClearReply();
          },
        },
      );
      return;
    }
    if (body === '') return;
    setText('');
    onClearReply();
    send.mutate(
      { body, ...quote },
      { onError: () => setText((current) => (current === '' ? body : current)) },
    );
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    setDragging(false);
    const dropped = event.dataTransfer.files[0];
    if (dropped !== undefined) setFile(dropped);
  }

  const error = send.error ?? sendFile.error ?? canned.error;
  return (
    <form
      className={`composer-form ${dragging ? 'is-dragging' : ''}`}
      onSubmit={submit}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      {replyTo === undefined ? null : (
        <div className="reply-bar" data-testid="reply-bar">
          <span className="message-quote">
            {t('message.replyTo', { text: localizedPreviewOf(replyTo.type, replyTo.content, t) })}
          </span>
          <button type="button" className="button-link" onClick={onClearReply}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      {file === undefined ? null : (
        <div className="attachment-chip" data-testid="attachment-chip">
          <span aria-hidden="true">📎</span>
          <span>
            {t('composer.attached', {
              name: file.name,
              size: formatNumber(Math.ceil(file.size / 1024), locale),
            })}
          </span>
          <button type="button" className="button-link" onClick={() => setFile(undefined)}>
            {t('composer.removeFile')}
          </button>
        </div>
      )}
      <ComposerTextarea
        label={file === undefined ? t('composer.replyLabel') : t('composer.captionLabel')}
        placeholder={
          file === undefined
            ? t('composer.replyPlaceholder')
            : captionAllowed
              ? t('composer.captionPlaceholder')
              : t('composer.noCaption')
        }
        value={text}
        onChange={setText}
        onSubmit={submit}
        allowMentions={false}
        onCanned={(id) => canned.mutate(id)}
        onPasteFiles={(files) => setFile(files[0])}
        disabled={file !== undefined && !captionAllowed}
        testId="reply-input"
      />
      <div className="composer-footer">
        <span className="composer-tools">
          <input
            id={fileInputId}
            ref={fileInput}
            type="file"
            className="visually-hidden"
            onChange={(e) => {
              const picked = e.target.files?.[0];
              if (picked !== undefined) setFile(picked);
              e.target.value = '';
            }}
          />
          <label htmlFor={fileInputId} className="button-link attach-label">
            {t('composer.attach')}
          </label>
          <span className="muted">
            {tooLong ? t('validation.tooLong', { max }) : t('composer.replyHint')}
          </span>
        </span>
        <button
          type="submit"
          className="button-primary button-inline"
          disabled={tooLong || sendFile.isPending || (file === undefined && text.trim() === '')}
        >
          {sendFile.isPending ? t('composer.uploading') : t('composer.send')}
        </button>
      </div>
      {error === null ? null : <FormAlert>{describeError(error, t, locale)}</FormAlert>}
    </form>
  );
}
