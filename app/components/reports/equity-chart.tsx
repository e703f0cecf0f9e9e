export interface ChartBar {
  label: string;
  /** 0–1, or null when the figure is hidden. */
  value: number | null;
  /** The fair share (0–1), drawn as a marker, or null. */
  marker: number | null;
}

const ROW = 30;
const LABEL_WIDTH = 230;
const CHART_WIDTH = 360;
const TOP = 8;
const BAR_COLOUR = "#1f4e79";
const MARKER_COLOUR = "#b00020";

function shorten(text: string, max = 32) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * A horizontal bar chart drawn on the server as SVG (no script needed, prints crisply).
 * It is one image for assistive technology: role="img", named by the visible title and
 * summary, which say in words everything the bars show. Hidden figures draw no bar.
 * Drawn twice, and CSS shows one: beside their labels on a wide screen, and on a phone
 * (under 640 px) with each label above its bar and fewer ticks, at a width its text stays
 * readable at, rather than the wide drawing scaled down to unreadable text.
 */
export function EquityChart({
  bars,
  title,
  titleId,
  summaryId = "report-summary",
  fairLabel,
  hiddenLabel,
}: {
  bars: ChartBar[];
  title: string;
  titleId: string;
  summaryId?: string;
  fairLabel: string;
  hiddenLabel: string;
}) {
  const top = Math.max(0.1, ...bars.map((bar) => Math.max(bar.value ?? 0, bar.marker ?? 0)));
  const scaleMax = Math.min(1, Math.ceil(top * 10) / 10);
  const x = (value: number) => LABEL_WIDTH + (Math.min(value, scaleMax) / scaleMax) * CHART_WIDTH;
  const hasMarkers = bars.some((bar) => bar.marker !== null);
  const legendTop = TOP + bars.length * ROW + 28;
  const height = legendTop + (hasMarkers ? 30 : 8);
  const ticks = Array.from({ length: Math.round(scaleMax * 10) + 1 }, (_, i) => i / 10).filter((_, i, all) => all.length <= 6 || i % 2 === 0);
  return (
    <figure className="space-y-2">
      <p id={titleId} className="font-semibold">
        {title}
      </p>
      <NarrowChart bars={bars} labelledBy={`${titleId} ${summaryId}`} scaleMax={scaleMax} fairLabel={fairLabel} hiddenLabel={hiddenLabel} />
      <svg
        role="img"
        aria-labelledby={`${titleId} ${summaryId}`}
        viewBox={`0 0 ${LABEL_WIDTH + CHART_WIDTH + 60} ${height}`}
        className="hidden h-auto w-full max-w-3xl sm:block"
        data-chart="wide"
        xmlns="http://www.w3.org/2000/svg"
      >
        {ticks.map((tick) => (
          <g key={tick}>
            <line x1={x(tick)} x2={x(tick)} y1={TOP} y2={TOP + bars.length * ROW} stroke="#c8c8c8" strokeWidth={1} />
            <text x={x(tick)} y={TOP + bars.length * ROW + 16} fontSize={12} textAnchor="middle" fill="#333">
              {`${Math.round(tick * 100)}%`}
            </text>
          </g>
        ))}
        {bars.map((bar, index) => {
          const y = TOP + index * ROW;
          return (
            <g key={`${bar.label}-${index}`}>
              <text x={LABEL_WIDTH - 8} y={y + ROW / 2 + 4} fontSize={13} textAnchor="end" fill="#111">
                {shorten(bar.label)}
              </text>
              {bar.value === null ? (
                <text x={LABEL_WIDTH + 6} y={y + ROW / 2 + 4} fontSize={12} fill="#333">
                  {hiddenLabel}
                </text>
              ) : (
                <>
                  <rect x={LABEL_WIDTH} y={y + 5} width={Math.max(1, x(bar.value) - LABEL_WIDTH)} height={ROW - 10} fill={BAR_COLOUR} />
                  <text x={x(bar.value) + 4} y={y + ROW / 2 + 4} fontSize={12} fill="#111">
                    {`${Math.round(bar.value * 100)}%`}
                  </text>
                </>
              )}
              {bar.marker !== null ? (
                <line x1={x(bar.marker)} x2={x(bar.marker)} y1={y + 1} y2={y + ROW - 1} stroke={MARKER_COLOUR} strokeWidth={3} strokeDasharray="4 2" />
              ) : null}
            </g>
          );
        })}
        {hasMarkers ? (
          <g>
            <line x1={LABEL_WIDTH} x2={LABEL_WIDTH + 24} y1={legendTop} y2={legendTop} stroke={MARKER_COLOUR} strokeWidth={3} strokeDasharray="4 2" />
            <text x={LABEL_WIDTH + 30} y={legendTop + 4} fontSize={12} fill="#111">
              {fairLabel}
            </text>
          </g>
        ) : null}
      </svg>
    </figure>
  );
}

const NARROW_WIDTH = 300;
const NARROW_ROW = 46;
/** Room right of the bars for the value ("100%"). */
const NARROW_VALUE_ROOM = 44;

/** The phone drawing: label on its own line above each bar, ticks at 0, half and the top. */
function NarrowChart({
  bars,
  labelledBy,
  scaleMax,
  fairLabel,
  hiddenLabel,
}: {
  bars: ChartBar[];
  labelledBy: string;
  scaleMax: number;
  fairLabel: string;
  hiddenLabel: string;
}) {
  const left = 2;
  const span = NARROW_WIDTH - left - NARROW_VALUE_ROOM;
  const x = (value: number) => left + (Math.min(value, scaleMax) / scaleMax) * span;
  const hasMarkers = bars.some((bar) => bar.marker !== null);
  const axis = TOP + bars.length * NARROW_ROW;
  const legendTop = axis + 30;
  const height = legendTop + (hasMarkers ? 14 : 0);
  const ticks = [0, scaleMax / 2, scaleMax];
  return (
    <svg
      role="img"
      aria-labelledby={labelledBy}
      viewBox={`0 0 ${NARROW_WIDTH} ${height}`}
      className="h-auto w-full sm:hidden"
      data-chart="narrow"
      xmlns="http://www.w3.org/2000/svg"
    >
      {ticks.map((tick) => (
        <g key={tick}>
          <line x1={x(tick)} x2={x(tick)} y1={TOP} y2={axis} stroke="#c8c8c8" strokeWidth={1} />
          <text x={x(tick)} y={axis + 16} fontSize={13} textAnchor={tick === 0 ? "start" : "middle"} fill="#333">
            {`${Math.round(tick * 100)}%`}
          </text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const y = TOP + index * NARROW_ROW;
        return (
          <g key={`${bar.label}-${index}`}>
            <text x={left} y={y + 14} fontSize={14} fill="#111">
              {shorten(bar.label, 38)}
            </text>
            {bar.value === null ? (
              <text x={left} y={y + 34} fontSize={13} fill="#333">
                {hiddenLabel}
              </text>
            ) : (
              <>
                <rect x={left} y={y + 21} width={Math.max(1, x(bar.value) - left)} height={16} fill={BAR_COLOUR} />
                <text x={x(bar.value) + 4} y={y + 34} fontSize={13} fill="#111">
                  {`${Math.round(bar.value * 100)}%`}
                </text>
              </>
            )}
            {bar.marker !== null ? (
              <line x1={x(bar.marker)} x2={x(bar.marker)} y1={y + 18} y2={y + 40} stroke={MARKER_COLOUR} strokeWidth={3} strokeDasharray="4 2" />
            ) : null}
          </g>
        );
      })}
      {hasMarkers ? (
        <g>
          <line x1={left} x2={left + 24} y1={legendTop} y2={legendTop} stroke={MARKER_COLOUR} strokeWidth={3} strokeDasharray="4 2" />
          <text x={left + 30} y={legendTop + 4} fontSize={13} fill="#111">
            {fairLabel}
          </text>
        </g>
      ) : null}
    </svg>
  );
}
