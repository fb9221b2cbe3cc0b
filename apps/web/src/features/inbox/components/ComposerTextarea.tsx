import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../../../lib/i18n/useI18n';
import { replaceToken } from '../composerText';
import { insertAt } from '../emoji';
import { useComposerSuggestions, type ActiveSuggestions } from '../hooks/useComposerSuggestions';
import { EmojiPicker } from './EmojiPicker';
import { Suggestions } from './Suggestions';

export interface ComposerTextareaProps {
  label: string;
  placeholder: string;
  value: string;
  onChange: (value: string) => void;
  /** Enter (without Shift) submits. */
  onSubmit: () => void;
  allowMentions: boolean;
  onMention?: (person: { id: string; name: string }) => void;
  /** A canned response was picked: the caller fills its text in. */
  onCanned: (cannedId: string) => void;
  disabled?: boolean;
  testId?: string;
  /** Files pasted into the box (screenshots, copied files). */
  onPasteFiles?: (files: File[]) => void;
}

/** The composer's text box with @mention and /shortcut suggestions, driven from the keyboard. */
export function ComposerTextarea(props: ComposerTextareaProps) {
  const { t } = useI18n();
  const { value, onChange } = props;
  const ref = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const [caret, setCaret] = useState(0);
  const [active, setActive] = useState(0);
  const [dismissed, setDismissed] = useState('');
  const found = useComposerSuggestions(value, caret, props.allowMentions);
  const suggestions: ActiveSuggestions | undefined =
    found !== undefined && dismissed !== value ? found : undefined;
  const current = suggestions === undefined ? 0 : Math.min(active, suggestions.items.length - 1);

  function pick(index: number) {
    if (suggestions === undefined) return;
    const item = suggestions.items[index];
    if (item === undefined) return;
    if (suggestions.kind === 'canned') {
      props.onCanned(item.value);
      return;
    }
    const next = replaceToken(value, suggestions.token, caret, `@${item.value} `);
    props.onMention?.({ id: item.id, name: item.value });
    onChange(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => ref.current?.setSelectionRange(next.caret, next.caret));
  }

  /** An emoji from the picker goes where the caret was (over the selection, if any). */
  function insertEmoji(emoji: string) {
    const box = ref.current;
    const next = insertAt(
      value,
      box?.selectionStart ?? value.length,
      box?.selectionEnd ?? value.length,
      emoji,
    );
    onChange(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      ref.current?.focus();
      ref.current?.setSelectionRange(next.caret, next.caret);
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (suggestions !== undefined) {
      const count = suggestions.items.length;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setActive((current + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(current);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setDismissed(value);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      props.onSubmit();
    }
  }

  return (
    <div className="composer-box">
      {suggestions === undefined ? null : (
        <Suggestions
          id={listId}
          label={
            suggestions.kind === 'canned' ? t('composer.cannedSuggestions') : t('composer.mentionSuggestions')
          }
          items={suggestions.items}
          active={current}
          onPick={pick}
        />
      )}
      <label className="visually-hidden" htmlFor={`${listId}-input`}>
        {props.label}
      </label>
      <textarea
        id={`${listId}-input`}
        ref={ref}
        rows={3}
        value={value}
        placeholder={props.placeholder}
        disabled={props.disabled}
        data-testid={props.testId}
        role="combobox"
        aria-expanded={suggestions !== undefined}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={suggestions === undefined ? undefined : `${listId}-${current}`}
        onChange={(e) => {
          onChange(e.target.value);
          setCaret(e.target.selectionStart);
          setActive(0);
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        onPaste={(e) => {
          const files = [...e.clipboardData.files];
          if (files.length === 0 || props.onPasteFiles === undefined) return;
          e.preventDefault();
          props.onPasteFiles(files);
        }}
      />
      <EmojiPicker
        onPick={insertEmoji}
        {...(props.disabled === undefined ? {} : { disabled: props.disabled })}
      />
    </div>
  );
}
