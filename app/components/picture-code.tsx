import { PICTURE_FIELDS, PICTURE_ICONS, PICTURES } from "~/modules/children/pictures";
import type { FieldErrors } from "~/modules/forms/form-result";
import { useTranslate } from "~/modules/i18n/use-translate";
import { ChoiceFieldset } from "./forms";

/**
 * A picture code, entered one picture at a time: four groups of nine big picture buttons,
 * each a radio group (arrow keys move, Space picks; works without script). The first button
 * of each group carries the group's name as its id, so the error summary's links land on it.
 */
export function PictureCodeFields({ errors, hint }: { errors?: FieldErrors; hint?: string }) {
  const { t } = useTranslate();
  return (
    <div className="space-y-6">
      {hint ? <p>{hint}</p> : null}
      {PICTURE_FIELDS.map((name, place) => (
        <ChoiceFieldset key={name} name={name} label={t("pictures.place", { place: place + 1, of: PICTURE_FIELDS.length })} error={errors?.[name]}>
          <div className="grid max-w-sm grid-cols-3 gap-2">
            {PICTURES.map((picture, index) => {
              const id = index === 0 ? name : `${name}-${picture}`;
              return (
                <div key={picture}>
                  <input type="radio" id={id} name={name} value={picture} className="peer sr-only" />
                  <label
                    htmlFor={id}
                    className="flex min-h-20 cursor-pointer flex-col items-center justify-center rounded-xl border-4 border-slate-300 bg-white p-1 text-center peer-checked:border-brand-800 peer-checked:bg-brand-100 peer-focus-visible:outline-4 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-brand-800 peer-checked:[&_.tick]:inline"
                  >
                    <span aria-hidden="true" className="text-3xl leading-none">
                      {PICTURE_ICONS[picture]}
                    </span>
                    <span className="text-sm font-semibold">
                      {t(`pictures.names.${picture}`)}
                      <span aria-hidden="true" className="tick hidden">
                        {" "}
                        ✓
                      </span>
                    </span>
                  </label>
                </div>
              );
            })}
          </div>
        </ChoiceFieldset>
      ))}
    </div>
  );
}
