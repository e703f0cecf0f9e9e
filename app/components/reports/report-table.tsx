import type { ReactNode } from "react";

export interface TableColumn {
  key: string;
  label: string;
}

export interface TableRow {
  key: string;
  /** The row's header cell. */
  label: ReactNode;
  /** One text per column after the first, as published; "" is a figure not shown. */
  cells: string[];
  total?: boolean;
}

/**
 * A report's table: a row header, numbers right-aligned, a figure not shown as a dash that
 * screen readers read as `notShown`. It scrolls sideways inside its own focusable region on a
 * narrow screen (320 px) rather than widening the page; it is named by its caption.
 */
export function ReportTable({
  id,
  caption,
  columns,
  rows,
  notShown,
}: {
  id: string;
  caption: string;
  columns: TableColumn[];
  rows: TableRow[];
  notShown: string;
}) {
  return (
    <div className="relative overflow-x-auto print:overflow-visible" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table id={id} className="min-w-full border-collapse text-left">
        <caption id={`${id}-caption`} className="py-1 text-left font-semibold">
          {caption}
        </caption>
        <thead>
          <tr className="border-b-2 border-slate-700">
            {columns.map((column, index) => (
              <th key={column.key} scope="col" className={`px-2 py-2 align-bottom ${index === 0 ? "" : "text-right"}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} className={`border-b border-slate-300 ${row.total ? "border-t-2 border-t-slate-700 font-semibold" : ""}`}>
              <th scope="row" className="px-2 py-2 font-semibold">
                {row.label}
              </th>
              {row.cells.map((cell, index) => (
                <td key={columns[index + 1]?.key ?? index} className="px-2 py-2 text-right tabular-nums">
                  {cell || (
                    <>
                      <span aria-hidden="true">–</span>
                      <span className="sr-only">{notShown}</span>
                    </>
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
