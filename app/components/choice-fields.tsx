import { useTranslate } from "~/modules/i18n/use-translate";
import { ChoiceFieldset, fieldDescription, LabelledField, type FieldMessage } from "./forms";

interface Option {
  value: string;
  label: string;
}

interface ChoiceProps {
  name: string;
  label: string;
  options: Option[];
  hint?: string;
  /** A translation key, or a key with its values. */
  error?: FieldMessage;
  defaultValue?: string;
}

/**
 * Radio buttons in a fieldset whose legend is the question. The first radio carries the
 * field's id, so the error summary's link lands on it.
 */
export function RadioGroup({ name, label, options, hint, error, defaultValue }: ChoiceProps) {
  return (
    <ChoiceFieldset name={name} label={label} hint={hint} error={error}>
      {options.map((option, index) => {
        const id = index === 0 ? name : `${name}-${option.value}`;
        return (
          <div key={option.value} className="flex items-center gap-2">
            <input id={id} type="radio" name={name} value={option.value} defaultChecked={option.value === defaultValue} className="h-5 w-5" />
            <label htmlFor={id}>{option.label}</label>
          </div>
        );
      })}
    </ChoiceFieldset>
  );
}

/** A labelled select, with an empty first choice so nothing is picked by accident. */
export function SelectField({ name, label, options, hint, error, defaultValue, emptyLabel }: ChoiceProps & { emptyLabel: string }) {
  return (
    <LabelledField name={name} label={label} hint={hint} error={error}>
      <select
        id={name}
        name={name}
        defaultValue={defaultValue ?? ""}
        aria-invalid={error ? true : undefined}
        aria-describedby={fieldDescription(name, hint, error)}
        className={`block w-full max-w-md rounded border-2 bg-white px-3 py-2 ${error ? "border-red-700" : "border-slate-700"}`}
      >
        <option value="">{emptyLabel}</option>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

/** The two languages, each named in itself, for "which language?" questions. */
export const LANGUAGE_OPTIONS: Option[] = [
  { value: "cy", label: "Cymraeg" },
  { value: "en", label: "English" },
];

/** "Which language?" (the field named language): Welsh or English, the page's own unless another was chosen. */
export function LanguageField({ label, hint, error, defaultValue }: Omit<ChoiceProps, "name" | "options">) {
  const { lang } = useTranslate();
  return <RadioGroup name="language" label={label} hint={hint} options={LANGUAGE_OPTIONS} defaultValue={defaultValue ?? lang} error={error} />;
}
