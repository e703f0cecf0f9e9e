import { useEffect, useRef, type InputHTMLAttributes, type ReactNode } from "react";
import { receivedKey } from "~/modules/i18n/i18n";
import { useTranslate } from "~/modules/i18n/use-translate";
import type { FieldMessage, FieldMessages, FormError } from "~/modules/forms/form-result";

export type { FieldMessage, FormError };

/**
 * The list of problems at the top of a form (GOV.UK pattern): focused when it appears, so a
 * screen reader announces it, with each problem linking to its field. Focused by the browser on
 * a page sent without React (autofocus in the server's HTML, ADR 0042), by the effect otherwise.
 * `children` follow the list (what the failure means, such as "nothing was saved").
 */
export function ErrorSummary({ errors, formError, children }: { errors?: FieldMessages; formError?: FormError; children?: ReactNode }) {
  const { t } = useTranslate();
  const fields = Object.entries(errors ?? {})
    .filter((entry): entry is [string, FieldMessage] => Boolean(entry[1]))
    .map(([name, error]): [string, string] => [name, messageText(t, error)]);
  const form = formError ? messageText(t, formError) : null;
  return (
    <ErrorSummaryList fields={fields} form={form}>
      {children}
    </ErrorSummaryList>
  );
}

/** A problem's sentence in the page's language: a key, a key with its values, or a key with a count. */
function messageText(t: ReturnType<typeof useTranslate>["t"], message: FieldMessage | { key: string; count: number }) {
  if (typeof message === "string") return t(receivedKey(message));
  return t(receivedKey(message.key), "count" in message ? { count: message.count } : message.values);
}

/** The summary itself, for messages already written out. */
function ErrorSummaryList({ fields, form, children }: { fields: Array<[name: string, message: string]>; form?: string | null; children?: ReactNode }) {
  const { t } = useTranslate();
  const ref = useRef<HTMLDivElement>(null);
  const any = fields.length > 0 || Boolean(form);
  const signature = `${form ?? ""}|${fields.map(([name, message]) => `${name}:${message}`).join("|")}`;
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [any, signature]);
  if (!any) return null;
  return (
    <div
      ref={ref}
      tabIndex={-1}
      // eslint-disable-next-line jsx-a11y/no-autofocus -- only ever shown after the person sent the form: focus goes to what went wrong
      autoFocus
      role="alert"
      aria-labelledby="error-summary-title"
      className="mb-6 border-4 border-red-700 p-4 focus:outline-none focus-visible:outline-3"
    >
      <h2 id="error-summary-title" className="text-lg font-bold">
        {t("forms.thereIsAProblem")}
      </h2>
      <ul className="mt-2 list-disc space-y-1 pl-6">
        {form ? <li className="font-semibold text-red-800">{form}</li> : null}
        {fields.map(([name, message]) => (
          <li key={name}>
            <a href={`#${name}`} className="font-semibold text-red-800">
              {message}
            </a>
          </li>
        ))}
      </ul>
      {children}
    </div>
  );
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name" | "id"> {
  name: string;
  label: string;
  hint?: string;
  error?: FieldMessage;
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function TextField({ name, label, hint, error, className, ...input }: TextFieldProps) {
  return (
    <LabelledField name={name} label={label} hint={hint} error={error}>
      <input
        id={name}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={fieldDescription(name, hint, error)}
        className={`block w-full max-w-md rounded border-2 px-3 py-2 ${error ? "border-red-700" : "border-slate-700"} ${className ?? ""}`}
        {...input}
      />
    </LabelledField>
  );
}

type FieldProps = Omit<TextFieldProps, "type">;

/** An email address: the keyboard, autofill and spelling settings an address needs. */
export function EmailField(props: FieldProps) {
  return <TextField type="email" inputMode="email" spellCheck={false} {...props} />;
}

/** A day, as the browser's date picker gives it (YYYY-MM-DD; typed the same without one). */
export function DateField(props: FieldProps) {
  return <TextField type="date" {...props} />;
}

/** A time of day (HH:MM), narrow enough to sit beside another at 320 px. */
export function TimeField({ className, ...props }: FieldProps) {
  return <TextField type="time" className={`max-w-[10rem] ${className ?? ""}`} {...props} />;
}

/** An amount in pounds ("2.50", "£2.50"): a decimal keyboard, no autofill. */
export function PriceField({ className, ...props }: FieldProps) {
  return <TextField inputMode="decimal" autoComplete="off" className={`max-w-[10rem] ${className ?? ""}`} {...props} />;
}

export function SubmitButton({ children }: { children: ReactNode }) {
  return (
    <button type="submit" className="rounded bg-brand-700 px-5 py-2 font-semibold text-white hover:bg-brand-900">
      {children}
    </button>
  );
}

/** The ids of a field's hint and error, for aria-describedby. */
export function fieldDescription(name: string, hint?: string, error?: FieldMessage) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

function FieldHint({ name, hint }: { name: string; hint?: string }) {
  if (!hint) return null;
  return (
    <p id={`${name}-hint`} className="text-sm text-slate-700">
      {hint}
    </p>
  );
}

/** What frames a question's controls: its name, label, hint and error. */
interface QuestionFrame {
  name: string;
  label: string;
  hint?: string;
  error?: FieldMessage;
  children: ReactNode;
}

/** Label, hint and error above one control (the control carries id = name). */
export function LabelledField({ name, label, hint, error, children }: QuestionFrame) {
  return (
    <div className={`space-y-1 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <label htmlFor={name} className="block font-semibold">
        {label}
      </label>
      <FieldHint name={name} hint={hint} />
      <FieldError name={name} error={error} />
      {children}
    </div>
  );
}

/** A question with several controls: a fieldset whose legend is the question, then its hint and error. */
export function ChoiceFieldset({ name, label, hint, error, children }: QuestionFrame) {
  return (
    <fieldset className={`space-y-2 ${error ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby={fieldDescription(name, hint, error)}>
      <legend className="font-semibold">{label}</legend>
      <FieldHint name={name} hint={hint} />
      <FieldError name={name} error={error} />
      {children}
    </fieldset>
  );
}

/**
 * A field's problem in red above it, with id `<name>-error` for the field's aria-describedby;
 * `alert` where it replaces the page's error summary (a form of one field that stays on screen).
 */
export function FieldError({ name, error, alert, className }: { name: string; error?: FieldMessage | null; alert?: boolean; className?: string }) {
  const { t } = useTranslate();
  if (!error) return null;
  return (
    <p id={`${name}-error`} role={alert ? "alert" : undefined} className={["font-semibold text-red-800", className].filter(Boolean).join(" ")}>
      <span className="sr-only">{t("forms.errorPrefix")} </span>
      {messageText(t, error)}
    </p>
  );
}

interface TextareaFieldProps {
  name: string;
  label: string;
  hint?: string;
  error?: FieldMessage;
  defaultValue?: string;
  rows?: number;
  maxLength?: number;
  lang?: string;
  required?: boolean;
}

/** A labelled multi-line text box, with its hint and error tied to it like TextField's. */
export function TextareaField({ name, label, hint, error, defaultValue, rows = 4, maxLength, lang, required }: TextareaFieldProps) {
  return (
    <LabelledField name={name} label={label} hint={hint} error={error}>
      <textarea
        id={name}
        name={name}
        rows={rows}
        maxLength={maxLength}
        lang={lang}
        required={required}
        defaultValue={defaultValue}
        aria-invalid={error ? true : undefined}
        aria-describedby={fieldDescription(name, hint, error)}
        className={`block w-full max-w-xl rounded border-2 px-3 py-2 ${error ? "border-red-700" : "border-slate-700"}`}
      />
    </LabelledField>
  );
}

/** One checkbox with its label beside it (a confirmation, or a yes/no choice). */
export function CheckboxField({
  name,
  label,
  hint,
  error,
  defaultChecked,
  value = "on",
}: {
  name: string;
  label: string;
  hint?: string;
  error?: FieldMessage;
  defaultChecked?: boolean;
  value?: string;
}) {
  return (
    <div className={`space-y-1 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <FieldError name={name} error={error} />
      <div className="flex items-start gap-3">
        <input
          id={name}
          name={name}
          type="checkbox"
          value={value}
          defaultChecked={defaultChecked}
          aria-invalid={error ? true : undefined}
          aria-describedby={fieldDescription(name, hint, error)}
          className="mt-1 h-5 w-5 shrink-0"
        />
        <label htmlFor={name}>{label}</label>
      </div>
      {hint ? (
        <p id={`${name}-hint`} className="pl-8 text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/**
 * Checkboxes sharing one name, in a fieldset whose legend is the question. The first box
 * carries the group's id, so the error summary's link lands on it.
 */
export function CheckboxGroup({
  name,
  label,
  options,
  hint,
  error,
  defaultValues = [],
}: {
  name: string;
  label: string;
  options: Array<{ value: string; label: string }>;
  hint?: string;
  error?: FieldMessage;
  defaultValues?: string[];
}) {
  return (
    <ChoiceFieldset name={name} label={label} hint={hint} error={error}>
      {options.map((option, index) => {
        const id = index === 0 ? name : `${name}-${option.value}`;
        return (
          <div key={option.value} className="flex items-start gap-3">
            <input
              id={id}
              type="checkbox"
              name={name}
              value={option.value}
              defaultChecked={defaultValues.includes(option.value)}
              className="mt-1 h-5 w-5 shrink-0"
            />
            <label htmlFor={id}>{option.label}</label>
          </div>
        );
      })}
    </ChoiceFieldset>
  );
}

/** A labelled file picker, with its hint and error tied to it like TextField's. */
export function FileField({
  name,
  label,
  hint,
  error,
  accept,
  required,
}: {
  name: string;
  label: string;
  hint?: string;
  error?: FieldMessage;
  accept?: string;
  required?: boolean;
}) {
  return (
    <LabelledField name={name} label={label} hint={hint} error={error}>
      <input
        id={name}
        name={name}
        type="file"
        accept={accept}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={fieldDescription(name, hint, error)}
        className="block w-full max-w-md rounded border-2 border-slate-700 bg-white px-3 py-2 file:mr-3 file:rounded file:border-0 file:bg-brand-100 file:px-3 file:py-1 file:font-semibold"
      />
    </LabelledField>
  );
}
