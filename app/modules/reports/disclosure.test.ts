import { describe, expect, it } from "vitest";
import { determinedEntries, extendWithTotals, recoverableEntries, shownCount, suppressTable } from "./disclosure";

/** Lines of the extended table (each row and each column, with its total) holding exactly one hidden entry. */
function linesWithOneHidden(hidden: boolean[][]) {
  const R = hidden.length;
  const C = hidden[0]!.length;
  const found: string[] = [];
  for (let i = 0; i < R; i++) if (hidden[i]!.filter(Boolean).length === 1) found.push(`row ${i}`);
  for (let j = 0; j < C; j++) if (hidden.filter((row) => row[j]).length === 1) found.push(`column ${j}`);
  return found;
}

/**
 * Independent check by linear algebra: a hidden entry can be worked out from what is shown
 * exactly when its unit vector lies in the row space of the line equations restricted to
 * the hidden entries (margins negated so that every line sums to zero).
 */
function determinedByAlgebra(values: number[][], hidden: boolean[][]) {
  const R = values.length;
  const C = values[0]!.length;
  const unknowns: Array<[number, number]> = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) if (hidden[i]![j]) unknowns.push([i, j]);
  const sign = (i: number, j: number) => ((i === R - 1) !== (j === C - 1) ? -1 : 1);
  const equations: number[][] = [];
  for (let i = 0; i < R; i++) equations.push(unknowns.map(([r, c]) => (r === i ? sign(r, c) : 0)));
  for (let j = 0; j < C; j++) equations.push(unknowns.map(([r, c]) => (c === j ? sign(r, c) : 0)));
  const rank = (matrix: number[][]) => {
    const m = matrix.map((row) => [...row]);
    let r = 0;
    for (let col = 0; col < unknowns.length && r < m.length; col++) {
      const pivot = m.findIndex((row, index) => index >= r && Math.abs(row[col]!) > 1e-9);
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
  };
  const base = rank(equations);
  return unknowns.filter((_, k) => rank([...equations, unknowns.map((__, index) => (index === k ? 1 : 0))]) === base);
}

function expectSafe(cells: number[][]) {
  const { hidden, values } = suppressTable(cells);
  expect(linesWithOneHidden(hidden)).toEqual([]);
  expect(recoverableEntries(values, hidden)).toEqual([]);
  expect(determinedByAlgebra(values, hidden)).toEqual([]);
  // Every small entry is hidden.
  values.forEach((row, i) => row.forEach((value, j) => value < 5 && expect(hidden[i]![j]).toBe(true)));
  return { hidden, values };
}

function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}

describe("extendWithTotals", () => {
  it("adds row totals, column totals and the grand total", () => {
    expect(
      extendWithTotals([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([
      [1, 2, 3],
      [3, 4, 7],
      [4, 6, 10],
    ]);
  });
});

describe("suppressTable", () => {
  it("hides nothing when every count and total is 5 or more", () => {
    const { hidden } = suppressTable([
      [10, 20],
      [30, 40],
    ]);
    expect(hidden.flat().some(Boolean)).toBe(false);
  });

  it("hides counts under 5, zero included, as primary suppressions", () => {
    const { hidden, primary } = suppressTable([
      [0, 20, 9],
      [30, 40, 9],
      [12, 3, 40],
    ]);
    expect(primary[0]![0]).toBe(true);
    expect(primary[2]![1]).toBe(true);
    expect(hidden[0]![0]).toBe(true);
    expect(hidden[2]![1]).toBe(true);
  });

  it("hides the next smallest cell of a row and a column that had a single hidden cell", () => {
    // Row 0: 3 is small; 7 is the next smallest. Column 0: 3 and then 8.
    const { hidden } = expectSafe([
      [3, 7, 50],
      [8, 60, 70],
      [90, 80, 100],
    ]);
    expect(hidden[0]![1]).toBe(true);
    expect(hidden[1]![0]).toBe(true);
    // The 2×2 block closes on itself: the cell at (1,1) completes the cycle.
    expect(hidden[1]![1]).toBe(true);
    expect(hidden[0]![2]).toBe(false);
  });

  it("hides a second cell of a one-column table (a list of counts and its total)", () => {
    const { hidden } = expectSafe([[40], [2], [9], [30]]);
    expect(hidden.map((row) => row[0])).toEqual([false, true, true, false, false]);
  });

  it("hides a small total and enough around it", () => {
    // Row 1's total is 4: every cell in it is small, and the total itself is hidden.
    const { hidden } = expectSafe([
      [20, 30],
      [1, 3],
      [25, 40],
    ]);
    expect(hidden[1]![2]).toBe(true);
  });

  it("breaks a hidden cell that could be worked out by combining several rows and columns", () => {
    // Two closed blocks of hidden cells joined by a single hidden cell: every line has two
    // hidden entries, yet the joining cell is determined. The suppression must not leave that.
    const cells = [
      [1, 1, 50, 50, 50],
      [1, 1, 50, 50, 50],
      [50, 2, 1, 50, 50],
      [50, 50, 1, 1, 50],
      [50, 50, 50, 1, 1],
    ];
    expectSafe(cells);
  });

  it("leaves no hidden cell recoverable in many random tables of small numbers", () => {
    const next = random(42);
    for (let trial = 0; trial < 300; trial++) {
      const rows = 1 + Math.floor(next() * 7);
      const columns = 1 + Math.floor(next() * 4);
      const cells = Array.from({ length: rows }, () => Array.from({ length: columns }, () => Math.floor(next() ** 2 * 40)));
      expectSafe(cells);
    }
  });

  it("hides what it is forced to, and stays safe", () => {
    const force = [
      [false, false, false],
      [false, true, false],
      [false, false, false],
    ];
    const { hidden, values } = suppressTable(
      [
        [10, 20],
        [30, 40],
      ],
      { force },
    );
    expect(hidden[1]![1]).toBe(true);
    expect(recoverableEntries(values, hidden)).toEqual([]);
    expect(determinedByAlgebra(values, hidden)).toEqual([]);
  });

  it("copes with an empty table", () => {
    const { hidden, values } = suppressTable([]);
    expect(values).toEqual([[0]]);
    expect(hidden).toEqual([[true]]);
  });
});

describe("shownCount", () => {
  it('shows small counts as "<5", other hidden counts as "*", the rest as numbers', () => {
    expect(shownCount(3, true)).toBe("<5");
    expect(shownCount(0, true)).toBe("<5");
    expect(shownCount(12, true)).toBe("*");
    expect(shownCount(12, false)).toBe("12");
  });
});

describe("suppressTable with rows whose sums are published elsewhere", () => {
  // Deciles 1–10 as rows, with quintile q = deciles 2q−1 and 2q published in another table.
  const pairs = [
    [0, 1],
    [2, 3],
    [4, 5],
    [6, 7],
    [8, 9],
  ].map((rows) => ({ rows }));

  it("hides the other decile of a pair when one is hidden, so the quintile does not give it away", () => {
    const cells = [
      [9, 20],
      [3, 30],
      [40, 40],
      [40, 40],
      [50, 50],
      [50, 50],
      [60, 60],
      [60, 60],
      [70, 70],
      [70, 70],
    ];
    const { hidden, values } = suppressTable(cells, { groups: pairs });
    expect(hidden[1]![0]).toBe(true);
    expect(hidden[0]![0]).toBe(true);
    expect(determinedEntries(values, hidden, pairs)).toEqual([]);
  });

  it("leaves nothing determined in many random decile tables", () => {
    const next = random(7);
    for (let trial = 0; trial < 100; trial++) {
      const cells = Array.from({ length: 10 }, () => Array.from({ length: 2 }, () => Math.floor(next() ** 2 * 30)));
      const { hidden, values } = suppressTable(cells, { groups: pairs });
      expect(determinedEntries(values, hidden, pairs)).toEqual([]);
      expect(linesWithOneHidden(hidden)).toEqual([]);
      for (const {
        rows: [a, b],
      } of pairs)
        for (let j = 0; j < 3; j++) expect(hidden[a!]![j]).toBe(hidden[b!]![j]);
    }
  });
});
