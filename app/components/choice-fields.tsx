import { useTranslate } from "~/modules/i18n/use-translate";

interface Option {
  value: string;
  label: string;
}

interface ChoiceProps {
  name: string;
  label: string;
  options: Option[];
  hint?: string;
  /** A translation key. */
  error?: string;
  defaultValue?: string;
}

function ErrorLine({ name, error }: { name: string; error?: string }) {
  const { t } = useTranslate();
  if (!error) return null;
  return (
    <p id={`${name}-error`} className="font-semibold text-red-800">
      <span className="sr-only">{t("forms.errorPrefix")} </span>
      {t(error)}
    </p>
  );
}

function describedBy(name: string, hint?: string, error?: string) {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(" ") || undefined;
}

/**
 * Radio buttons in a fieldset whose legend is the question. The first radio carries the
 * field's id, so the error summary's link lands on it.
 */
export function RadioGroup({ name, label, options, hint, error, defaultValue }: ChoiceProps) {
  return (
    <fieldset className={`space-y-2 ${error ? "border-l-4 border-red-700 pl-3" : ""}`} aria-describedby={describedBy(name, hint, error)}>
      <legend className="font-semibold">{label}</legend>
      {hint ? (
        <p id={`${name}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      <ErrorLine name={name} error={error} />
      {options.map((option, index) => {
        const id = index === 0 ? name : `${name}-${option.value}`;
        return (
          <div key={option.value} className="flex items-center gap-2">
            <input id={id} type="radio" name={name} value={option.value} defaultChecked={option.value === defaultValue} className="h-5 w-5" />
            <label htmlFor={id}>{option.label}</label>
          </div>
        );
      })}
    </fieldset>
  );
}

/** A labelled select, with an empty first choice so nothing is picked by accident. */
export function SelectField({ name, label, options, hint, error, defaultValue, emptyLabel }: ChoiceProps & { emptyLabel: string }) {
  return (
    <div className={`space-y-1 ${error ? "border-l-4 border-red-700 pl-3" : ""}`}>
      <label htmlFor={name} className="block font-semibold">
        {label}
      </label>
      {hint ? (
        <p id={`${name}-hint`} className="text-sm text-slate-700">
          {hint}
        </p>
      ) : null}
      <ErrorLine name={name} error={error} />
      <select
        id={name}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(name, hint, error)}
        className={`block w-full max-w-md rounded border-2 bg-white px-3 py-2 ${error ? "border-red-700" : "border-slate-700"}`}
      >
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
