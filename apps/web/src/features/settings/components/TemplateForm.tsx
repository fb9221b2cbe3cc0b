import { templateCategories, type TemplateView } from '@switchboard/contracts';
import { useState, type SyntheticEvent } from 'react';
import { SelectField, TextAreaField } from '../../../components/form/Fields';
import { FormAlert } from '../../../components/FormAlert';
import { TextField } from '../../../components/TextField';
import { describeError } from '../../../lib/api/describeError';
import { hasErrorCode, isApiError } from '../../../lib/api/problem';
import { useI18n } from '../../../lib/i18n/useI18n';
import type { PlainMessageKey } from '../../../lib/i18n/types';
import { useFocusFirstInvalid } from '../../../lib/useFocusFirstInvalid';
import { createTemplate, templateKeys, updateTemplate } from '../api/templatesApi';
import { useAdminMutation } from '../hooks/useAdminMutation';
import {
  buildCreateRequest,
  buildUpdateRequest,
  buttonTypes,
  emptyButton,
  emptyTemplateForm,
  fieldErrorsOf,
  headerFormats,
  MAX_BUTTONS,
  parametersOf,
  previewOf,
  templateFormFrom,
  type ButtonState,
  type ComponentKind,
  type TemplateFormState,
} from '../templateForm';
import { checkTemplateForm } from '../templateValidation';
import { TemplatePreview } from './TemplatePreview';

export const categoryLabels: Readonly<Record<string, PlainMessageKey>> = {
  MARKETING: 'templatesAdmin.categoryMarketing',
  UTILITY: 'templatesAdmin.categoryUtility',
  AUTHENTICATION: 'templatesAdmin.categoryAuthentication',
};
const headerLabels: Readonly<Record<string, PlainMessageKey>> = {
  NONE: 'templatesAdmin.headerNone',
  TEXT: 'templatesAdmin.headerText',
  IMAGE: 'templatesAdmin.headerImage',
  VIDEO: 'templatesAdmin.headerVideo',
  DOCUMENT: 'templatesAdmin.headerDocument',
};
const buttonLabels: Readonly<Record<string, PlainMessageKey>> = {
  QUICK_REPLY: 'templatesAdmin.buttonQuickReply',
  URL: 'templatesAdmin.buttonUrl',
  PHONE_NUMBER: 'templatesAdmin.buttonPhone',
  COPY_CODE: 'templatesAdmin.buttonCopyCode',
};

/** Create a template (every part Meta takes, with the examples it requires) or edit one. */
export function TemplateForm({
  numberId,
  template,
  onDone,
}: {
  numberId: string;
  template?: TemplateView;
  onDone: () => void;
}) {
  const { t, locale } = useI18n();
  const editing = template !== undefined;
  const [s, setState] = useState<TemplateFormState>(() =>
    template === undefined ? emptyTemplateForm() : templateFormFrom(template),
  );
  const [errors, setErrors] = useState<Record<string, string>>({});
  const formRef = useFocusFirstInvalid(errors);
  const save = useAdminMutation(
    (input: { s: TemplateFormState; layout: ComponentKind[] }) =>
      template === undefined
        ? createTemplate(numberId, buildCreateRequest(input.s).request)
        : updateTemplate(numberId, template.id, buildUpdateRequest(input.s).request),
    [templateKeys.ofNumber(numberId)],
  );
  const set = (patch: Partial<TemplateFormState>) => setState((current) => ({ ...current, ...patch }));
  const setButton = (index: number, patch: Partial<ButtonState>) =>
    set({ buttons: s.buttons.map((b, i) => (i === index ? { ...b, ...patch } : b)) });

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    const found = checkTemplateForm(s, editing ? 'edit' : 'create', t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const { layout } = editing ? buildUpdateRequest(s) : buildCreateRequest(s);
    save.mutate(
      { s, layout },
      {
        onSuccess: onDone,
        onError: (error) => {
          if (!isApiError(error)) return;
          const issues = error.problem.errors ?? [];
          if (hasErrorCode(error, 'conflict') && issues.some((i) => i.path === 'body.name')) {
            setErrors({ name: t('templatesAdmin.nameTaken') });
          } else if (issues.length > 0) {
            setErrors(fieldErrorsOf(issues, layout));
          }
        },
      },
    );
  }

  const bodyParams = parametersOf(s.body, s.parameterFormat);
  const headerParams = s.headerFormat === 'TEXT' ? parametersOf(s.headerText, s.parameterFormat) : [];
  const fieldErrorCount = Object.keys(errors).filter((k) => k !== '').length;
  const serverFailed =
    save.isError && (!isApiError(save.error) || (save.error.problem.errors ?? []).length === 0);
  return (
    <form ref={formRef} className="settings-form template-form" onSubmit={submit} noValidate>
      <div className="tpl-columns">
        <div>
          <fieldset>
            <legend>{t('templatesAdmin.identity')}</legend>
            {editing ? (
              <dl className="facts">
                <dt>{t('templatesAdmin.name')}</dt>
                <dd className="mono">{s.name}</dd>
                <dt>{t('templatesAdmin.language')}</dt>
                <dd className="mono">{s.language}</dd>
              </dl>
            ) : (
              <>
                <TextField
                  name="name"
                  label={t('templatesAdmin.name')}
                  hint={t('templatesAdmin.nameHint')}
                  value={s.name}
                  onChange={(v) => set({ name: v })}
                  error={errors['name']}
                  maxLength={512}
                />
                <TextField
                  name="language"
                  label={t('templatesAdmin.language')}
                  hint={t('templatesAdmin.languageHint')}
                  value={s.language}
                  onChange={(v) => set({ language: v })}
                  error={errors['language']}
                  maxLength={10}
                />
              </>
            )}
            <SelectField
              label={t('templatesAdmin.category')}
              value={s.category}
              onChange={(v) => set({ category: v })}
              options={templateCategories.map((c) => ({
                value: c,
                label: t(categoryLabels[c] ?? 'templatesAdmin.categoryUtility'),
              }))}
              error={errors['category']}
            />
            {editing ? null : (
              <SelectField
                label={t('templatesAdmin.parameterFormat')}
                hint={t('templatesAdmin.parameterFormatHint')}
                value={s.parameterFormat}
                onChange={(v) =>
                  set({ parameterFormat: v === 'named' ? 'named' : 'positional', bodyExamples: {} })
                }
                options={[
                  { value: 'positional', label: t('templatesAdmin.positional', { example: '{{1}}, {{2}}' }) },
                  { value: 'named', label: t('templatesAdmin.named', { example: '{{first_name}}' }) },
                ]}
                error={errors['parameterFormat']}
              />
            )}
          </fieldset>
          <fieldset>
            <legend>{t('templatesAdmin.header')}</legend>
            <SelectField
              label={t('templatesAdmin.headerFormat')}
              value={s.headerFormat}
              onChange={(v) =>
                set({
                  headerFormat: (headerFormats as readonly string[]).includes(v)
                    ? (v as TemplateFormState['headerFormat'])
                    : 'NONE',
                })
              }
              options={headerFormats.map((f) => ({
                value: f,
                label: t(headerLabels[f] ?? 'templatesAdmin.headerNone'),
              }))}
              error={errors['header.format']}
            />
            {s.headerFormat === 'TEXT' ? (
              <>
                <TextField
                  name="headerText"
                  label={t('templatesAdmin.headerTextLabel')}
                  hint={t('templatesAdmin.headerTextHint')}
                  value={s.headerText}
                  onChange={(v) => set({ headerText: v })}
                  error={errors['header.text']}
                  maxLength={60}
                />
                {headerParams.length > 0 ? (
                  <TextField
                    name="headerExample"
                    label={t('templatesAdmin.exampleFor', { name: `{{${headerParams[0] ?? ''}}}` })}
                    value={s.headerExample}
                    onChange={(v) => set({ headerExample: v })}
                    error={errors['header.example']}
                  />
                ) : null}
              </>
            ) : s.headerFormat === 'NONE' ? null : (
              <TextField
                name="headerHandle"
                label={t('templatesAdmin.headerHandle')}
                hint={t('templatesAdmin.headerHandleHint')}
                value={s.headerHandle}
                onChange={(v) => set({ headerHandle: v })}
                error={errors['header.handle']}
              />
            )}
          </fieldset>
          <fieldset>
            <legend>{t('templatesAdmin.body')}</legend>
            <TextAreaField
              label={t('templatesAdmin.bodyText')}
              hint={
                s.parameterFormat === 'named'
                  ? t('templatesAdmin.bodyHintNamed', { example: '{{first_name}}' })
                  : t('templatesAdmin.bodyHint', { example: '{{1}}, {{2}}' })
              }
              value={s.body}
              onChange={(v) => set({ body: v })}
              error={errors['body.text']}
              rows={5}
              maxLength={1024}
            />
            {bodyParams.map((p, i) => (
              <TextField
                key={p}
                name={`example-${p}`}
                label={t('templatesAdmin.exampleFor', { name: `{{${p}}}` })}
                value={s.bodyExamples[p] ?? ''}
                onChange={(v) => set({ bodyExamples: { ...s.bodyExamples, [p]: v } })}
                error={errors[`body.examples.${p}`] ?? (i === 0 ? errors['body.examples'] : undefined)}
              />
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('templatesAdmin.footer')}</legend>
            <TextField
              name="footer"
              label={t('templatesAdmin.footerText')}
              hint={t('templatesAdmin.optional')}
              value={s.footer}
              onChange={(v) => set({ footer: v })}
              error={errors['footer.text']}
              maxLength={60}
            />
          </fieldset>
          <fieldset>
            <legend>{t('templatesAdmin.buttons')}</legend>
            {errors['buttons'] === undefined ? null : <p className="field-error">{errors['buttons']}</p>}
            {s.buttons.map((b, i) => (
              <fieldset key={i} className="tpl-button">
                <legend>{t('templatesAdmin.buttonN', { n: i + 1 })}</legend>
                <SelectField
                  label={t('templatesAdmin.buttonType')}
                  value={b.type}
                  onChange={(v) =>
                    setButton(i, {
                      type: (buttonTypes as readonly string[]).includes(v)
                        ? (v as ButtonState['type'])
                        : 'QUICK_REPLY',
                    })
                  }
                  options={buttonTypes.map((type) => ({
                    value: type,
                    label: t(buttonLabels[type] ?? 'templatesAdmin.buttonQuickReply'),
                  }))}
                />
                {b.type === 'COPY_CODE' ? null : (
                  <TextField
                    name={`button-${i}-text`}
                    label={t('templatesAdmin.buttonText')}
                    value={b.text}
                    onChange={(v) => setButton(i, { text: v })}
                    error={errors[`buttons.${i}.text`]}
                    maxLength={25}
                  />
                )}
                {b.type === 'URL' ? (
                  <>
                    <TextField
                      name={`button-${i}-url`}
                      label={t('templatesAdmin.buttonUrlLabel')}
                      hint={t('templatesAdmin.buttonUrlHint', { example: '{{1}}' })}
                      value={b.url}
                      onChange={(v) => setButton(i, { url: v })}
                      error={errors[`buttons.${i}.url`]}
                      maxLength={2000}
                    />
                    {b.url.includes('{{') ? (
                      <TextField
                        name={`button-${i}-example`}
                        label={t('templatesAdmin.buttonUrlExample')}
                        value={b.example}
                        onChange={(v) => setButton(i, { example: v })}
                        error={errors[`buttons.${i}.example`]}
                      />
                    ) : null}
                  </>
                ) : null}
                {b.type === 'PHONE_NUMBER' ? (
                  <TextField
                    name={`button-${i}-phone`}
                    label={t('templatesAdmin.buttonPhoneLabel')}
                    hint={t('templatesAdmin.buttonPhoneHint')}
                    value={b.phoneNumber}
                    onChange={(v) => setButton(i, { phoneNumber: v })}
                    error={errors[`buttons.${i}.phoneNumber`]}
                    maxLength={20}
                  />
                ) : null}
                {b.type === 'COPY_CODE' ? (
                  <TextField
                    name={`button-${i}-code`}
                    label={t('templatesAdmin.buttonCodeExample')}
                    value={b.example}
                    onChange={(v) => setButton(i, { example: v })}
                    error={errors[`buttons.${i}.example`]}
                    maxLength={15}
                  />
                ) : null}
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() => set({ buttons: s.buttons.filter((_, k) => k !== i) })}
                >
                  {t('templatesAdmin.removeButton', { n: i + 1 })}
                </button>
              </fieldset>
            ))}
            {s.buttons.length < MAX_BUTTONS ? (
              <button
                type="button"
                className="button-secondary"
                onClick={() => set({ buttons: [...s.buttons, emptyButton()] })}
              >
                {t('templatesAdmin.addButton')}
              </button>
            ) : null}
          </fieldset>
        </div>
        <TemplatePreview preview={previewOf(s)} />
      </div>
      {fieldErrorCount > 0 ? <FormAlert>{t('errors.validation')}</FormAlert> : null}
      {errors[''] === undefined ? null : <FormAlert>{errors['']}</FormAlert>}
      {serverFailed ? <FormAlert>{describeTemplateError(save.error, t, locale)}</FormAlert> : null}
      <div className="form-actions">
        <button type="submit" className="button-primary button-inline" disabled={save.isPending}>
          {editing ? t('templatesAdmin.saveEdit') : t('templatesAdmin.create')}
        </button>
        <button type="button" className="button-secondary" onClick={onDone}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/**
 * A template action's failure in words. Meta's refusals (422 without fields) carry Meta's own
 * explanation in the detail, which is worth showing after our sentence.
 */
export function describeTemplateError(
  error: unknown,
  t: Parameters<typeof describeError>[1],
  locale: Parameters<typeof describeError>[2],
): string {
  if (hasErrorCode(error, 'unprocessable_content') && (error.problem.errors ?? []).length === 0) {
    return error.problem.detail === ''
      ? t('templatesAdmin.refused')
      : `${t('templatesAdmin.refused')} ${error.problem.detail}`;
  }
  return describeError(error, t, locale, {
    conflict: 'templatesAdmin.conflict',
    not_ready: 'templatesAdmin.whatsappDown',
  });
}
