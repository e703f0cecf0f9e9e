/**
 * Statistical disclosure control for a table of counts published with its row and column
 * totals (the usual small-numbers rule for reports about children).
 *
 * The table is R×C counts; its margins are the row totals, the column totals and the grand
 * total. Every entry of the extended (R+1)×(C+1) table, margins included, can be hidden:
 *
 * 1. Primary suppression: every count under the threshold (5) — including zero — is hidden
 *    (shown as "<5"); so is anything the caller forces (a figure tied to a hidden one).
 * 2. Secondary suppression, repeated until nothing changes:
 *    a. a line (row or column, with its total) holding exactly one hidden entry would give
 *       it away by subtraction, so the smallest other shown entry of that line is hidden too
 *       (interior cells before totals);
 *    b. a hidden entry can also be worked out by combining several lines. Negating the
 *       margins turns every line into one that sums to zero, and then a hidden entry is
 *       determined exactly when it is a bridge of the bipartite graph (rows and columns as
 *       nodes, hidden entries as edges). Each bridge is put on a cycle by hiding the
 *       cheapest shown entry that joins its two sides.
 *
 * The result: no hidden entry can be recovered from the shown ones, by any combination of
 * row and column sums.
 */

export const DISCLOSURE_THRESHOLD = 5;

export interface RowGroup {
  rows: readonly number[];
  known?: readonly boolean[];
}

export interface SuppressionResult {
  /** hidden[i][j] for the extended table: rows 0..R-1 then the totals row; columns likewise. */
  hidden: boolean[][];
  /** The extended table's values, margins computed from the cells. */
  values: number[][];
  /** Which entries are small (under the threshold); the rest of `hidden` is secondary or forced. */
  primary: boolean[][];
}

/** Row totals, column totals and the grand total appended to a table of counts. */
export function extendWithTotals(cells: readonly (readonly number[])[]): number[][] {
  const rows = cells.length;
  const columns = cells[0]?.length ?? 0;
  const extended = cells.map((row) => [...row, row.reduce((sum, value) => sum + value, 0)]);
  const totals: number[] = [];
  for (let j = 0; j <= columns; j++) totals.push(extended.reduce((sum, row) => sum + row[j]!, 0));
  extended.push(totals);
  if (rows === 0) return [Array(columns + 1).fill(0)];
  return extended;
}

/**
 * Hides what must be hidden in a table of counts and its totals. `force` marks entries of
 * the extended table to hide whatever their value (e.g. because a linked figure is hidden).
 */
export function suppressTable(
  cells: readonly (readonly number[])[],
  options: {
    threshold?: number;
    force?: readonly (readonly boolean[])[];
    /**
     * Sets of rows whose column sums are published elsewhere (deciles 1 and 2 make quintile
     * 1 in the quintile report): each set, in each column where that sum is shown (`known`,
     * by column of the extended table; all when left out), is one more equation to guard.
     */
    groups?: readonly RowGroup[];
  } = {},
): SuppressionResult {
  const threshold = options.threshold ?? DISCLOSURE_THRESHOLD;
  const values = extendWithTotals(cells);
  const R = values.length;
  const C = values[0]!.length;
  const primary = values.map((row) => row.map((value) => value < threshold));
  const hidden = primary.map((row, i) => row.map((small, j) => small || Boolean(options.force?.[i]?.[j])));
  if (cells.length === 0) return { hidden, values, primary };

  // A cost for hiding an entry: its value, with totals last so detail goes before margins.
  const cost = (i: number, j: number) => values[i]![j]! + (i === R - 1 || j === C - 1 ? 1e9 : 0);

  for (let guard = 0; guard < R * C + 5; guard++) {
    let changed = false;
    // (a) Lines with exactly one hidden entry.
    for (let again = true; again;) {
      again = false;
      for (const line of lines(R, C)) {
        const hiddenInLine = line.filter(([i, j]) => hidden[i]![j]);
        if (hiddenInLine.length !== 1) continue;
        const candidate = cheapest(
          line.filter(([i, j]) => !hidden[i]![j]),
          cost,
        );
        if (!candidate) continue;
        hidden[candidate[0]]![candidate[1]] = true;
        again = changed = true;
      }
    }
    // (a′) The same for the sets of rows whose sums are published elsewhere.
    for (const group of options.groups ?? []) {
      for (let j = 0; j < C; j++) {
        if (group.known && !group.known[j]) continue;
        const line: Cell[] = group.rows.map((i) => [i, j]);
        if (line.filter(([i]) => hidden[i]![j]).length !== 1) continue;
        const candidate = cheapest(
          line.filter(([i]) => !hidden[i]![j]),
          cost,
        );
        if (candidate) {
          hidden[candidate[0]]![candidate[1]] = true;
          changed = true;
        }
      }
    }
    if (changed) continue;
    // (b) Hidden entries recoverable by combining lines.
    const bridge = options.groups?.length ? undefined : findBridge(hidden, R, C);
    if (bridge) {
      const [rowSide, columnSide] = sides(hidden, R, C, bridge);
      // Join a row on the column's side to a column on the row's side.
      const candidates: Array<[number, number]> = [];
      for (const i of columnSide.rows) for (const j of rowSide.columns) if (!hidden[i]![j]) candidates.push([i, j]);
      let pick = cheapest(candidates, cost);
      // If no such entry is shown (cannot normally happen once (a) holds), hide a neighbour.
      pick ??= cheapest(
        lineOf(R, C, bridge).filter(([i, j]) => !hidden[i]![j]),
        cost,
      );
      if (pick) {
        hidden[pick[0]]![pick[1]] = true;
        changed = true;
      }
    }
    // (c) With extra equations the graph test is not enough: ask the algebra directly.
    if (!changed && options.groups?.length) {
      const [determined] = determinedEntries(values, hidden, options.groups);
      if (determined) {
        const [i, j] = determined;
        const related: Cell[] = [...lineOf(R, C, determined)];
        for (const group of options.groups) if (group.rows.includes(i)) for (const r of group.rows) if (r !== i) related.push([r, j]);
        const candidates = related.filter(([r, c]) => !hidden[r]![c]).sort((a, b) => cost(...a) - cost(...b));
        const fixes = candidates.find(([r, c]) => {
          const trial = hidden.map((row) => [...row]);
          trial[r]![c] = true;
          return !determinedEntries(values, trial, options.groups!).some(([x, y]) => x === i && y === j);
        });
        const pick = fixes ?? candidates[0];
        if (pick) {
          hidden[pick[0]]![pick[1]] = true;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return { hidden, values, primary };
}

/**
 * Hidden entries of the extended table that the shown entries determine, by linear algebra:
 * an entry is determined when its unit vector lies in the row space of the equations
 * (every row and column sums to its total; every group of rows sums, per column, to a figure
 * published elsewhere) restricted to the hidden entries.
 */
export function determinedEntries(values: number[][], hidden: boolean[][], groups: readonly RowGroup[] = []): Cell[] {
  const R = values.length;
  const C = values[0]?.length ?? 0;
  const unknowns = edges(hidden, R, C);
  if (!unknowns.length) return [];
  const sign = (i: number, j: number) => ((i === R - 1) !== (j === C - 1) ? -1 : 1);
  const equations: number[][] = [];
  for (let i = 0; i < R; i++) equations.push(unknowns.map(([r, c]) => (r === i ? sign(r, c) : 0)));
  for (let j = 0; j < C; j++) equations.push(unknowns.map(([r, c]) => (c === j ? sign(r, c) : 0)));
  for (const group of groups) {
    for (let j = 0; j < C; j++) if (!group.known || group.known[j]) equations.push(unknowns.map(([r, c]) => (c === j && group.rows.includes(r) ? 1 : 0)));
  }
  const base = rank(equations, unknowns.length);
  return unknowns.filter((_, k) => rank([...equations, unknowns.map((__, index) => (index === k ? 1 : 0))], unknowns.length) === base);
}

function rank(matrix: number[][], columns: number): number {
  const m = matrix.map((row) => [...row]);
  let r = 0;
  for (let col = 0; col < columns && r < m.length; col++) {
    let pivot = -1;
    for (let k = r; k < m.length && pivot < 0; k++) if (Math.abs(m[k]![col]!) > 1e-9) pivot = k;
    if (pivot < 0) continue;
    [m[r], m[pivot]] = [m[pivot]!, m[r]!];
    for (let k = 0; k < m.length; k++) {
      if (k === r) continue;
      const factor = m[k]![col]! / m[r]![col]!;
      if (factor) m[k] = m[k]!.map((value, index) => value - factor * m[r]![index]!);
    }
    r++;
  }
  return r;
}

type Cell = [number, number];

function lines(R: number, C: number): Cell[][] {
  const all: Cell[][] = [];
  for (let i = 0; i < R; i++) all.push(Array.from({ length: C }, (_, j) => [i, j] as Cell));
  for (let j = 0; j < C; j++) all.push(Array.from({ length: R }, (_, i) => [i, j] as Cell));
  return all;
}

function lineOf(R: number, C: number, [i, j]: Cell): Cell[] {
  return [...Array.from({ length: C }, (_, c) => [i, c] as Cell), ...Array.from({ length: R }, (_, r) => [r, j] as Cell)].filter(
    ([r, c]) => r !== i || c !== j,
  );
}

function cheapest(cells: Cell[], cost: (i: number, j: number) => number): Cell | undefined {
  let best: Cell | undefined;
  for (const cell of cells) if (!best || cost(...cell) < cost(...best)) best = cell;
  return best;
}

/** Graph nodes: rows 0..R-1, columns R..R+C-1. Edges: hidden entries. */
function edges(hidden: boolean[][], R: number, C: number): Cell[] {
  const all: Cell[] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (hidden[i]![j]) all.push([i, j]);
  return all;
}

function reachable(R: number, C: number, graphEdges: Cell[], start: number): Set<number> {
  const adjacency = new Map<number, number[]>();
  for (const [i, j] of graphEdges) {
    adjacency.set(i, [...(adjacency.get(i) ?? []), R + j]);
    adjacency.set(R + j, [...(adjacency.get(R + j) ?? []), i]);
  }
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const node = queue.pop()!;
    for (const next of adjacency.get(node) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/** A hidden entry whose removal disconnects its row from its column: it is determined. */
export function findBridge(hidden: boolean[][], R: number, C: number): Cell | undefined {
  const all = edges(hidden, R, C);
  for (const edge of all) {
    const rest = all.filter((other) => other !== edge);
    if (!reachable(R, C, rest, edge[0]).has(R + edge[1])) return edge;
  }
  return undefined;
}

function sides(hidden: boolean[][], R: number, C: number, bridge: Cell) {
  const rest = edges(hidden, R, C).filter(([i, j]) => i !== bridge[0] || j !== bridge[1]);
  const split = (nodes: Set<number>) => ({
    rows: [...nodes].filter((node) => node < R),
    columns: [...nodes].filter((node) => node >= R).map((node) => node - R),
  });
  return [split(reachable(R, C, rest, bridge[0])), split(reachable(R, C, rest, R + bridge[1]))] as const;
}

/**
 * Whether any hidden entry of the extended table can be recovered from the shown entries by
 * row and column sums (used by the tests; the suppression above guarantees it cannot).
 */
export function recoverableEntries(values: number[][], hidden: boolean[][]): Cell[] {
  const R = values.length;
  const C = values[0]?.length ?? 0;
  const all = edges(hidden, R, C);
  return all.filter(
    (edge) =>
      !reachable(
        R,
        C,
        all.filter((other) => other !== edge),
        edge[0],
      ).has(R + edge[1]),
  );
}

/**
 * A count as published: the number; "<5" when it is small; "*" when it is not small but is
 * hidden so that a small one cannot be worked out.
 */
export function shownCount(value: number, hidden: boolean, threshold = DISCLOSURE_THRESHOLD): string {
  if (!hidden) return String(value);
  return value < threshold ? `<${threshold}` : "*";
}
