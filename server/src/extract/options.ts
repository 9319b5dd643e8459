/** What extraction can be told by the workspace configuration. Data only. */
export interface ExtractOptions {
  /**
   * Extra call shapes that read an env variable by name, as dotted callees whose first argument
   * is the variable name: `settings.env`, `self.cfg.get`, `get_config().get`, `config.require`.
   * A second argument, when present, counts as a default.
   */
  envAccessors: string[];
  /** The configuration's extra environments and their tokens (`{ qa: ["qa", "test2"] }`), so
   * code that compares with `"qa"` is read as a qa branch. */
  environments?: Record<string, string[]>;
}

export const defaultExtractOptions: ExtractOptions = { envAccessors: [], environments: {} };
