import type { ComponentType } from "react";
import { useNonce } from "~/components/nonce";
import { islandPropsId, islandPropsJson, islandRootId } from "~/modules/islands/island-props";
import type { IslandScripts } from "~/modules/islands/islands.server";

/**
 * A component the server draws and a small module of its own brings to life in the browser,
 * without Remix's client (ADR 0046). The component is drawn here with the same props the module
 * is given, so the two draw the same thing. Without its scripts (not built, or a browser that
 * runs none) the page is what the server drew.
 */
export function Island<P extends object>({
  name,
  component: Component,
  props,
  scripts,
}: {
  name: string;
  component: ComponentType<P>;
  props: P;
  scripts: IslandScripts | null;
}) {
  const nonce = useNonce();
  return (
    <>
      <div id={islandRootId(name)}>
        <Component {...props} />
      </div>
      {scripts ? (
        <>
          <script type="application/json" id={islandPropsId(name)} dangerouslySetInnerHTML={{ __html: islandPropsJson(props) }} />
          {scripts.imports.map((href) => (
            <link key={href} rel="modulepreload" href={href} />
          ))}
          <script type="module" src={scripts.module} nonce={nonce} />
        </>
      ) : null}
    </>
  );
}
