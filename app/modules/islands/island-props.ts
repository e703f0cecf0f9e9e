/**
 * What an island is given by the server (ADR 0046): its component's props, as JSON in a
 * <script type="application/json"> beside the component's HTML. Written so that no text in the
 * props can end the script element early.
 */
export function islandPropsJson(props: unknown): string {
  return JSON.stringify(props)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

export const islandPropsId = (name: string) => `${name}-island-props`;
export const islandRootId = (name: string) => `${name}-island`;
