/** The CLI's exit codes: scripts depend on them. */
export const EXIT = {
  /** Every row succeeded (or the command did its job). */
  ok: 0,
  /** Some rows were not processed. */
  someRowsFailed: 1,
  /** The file was rejected, or the command was used wrongly (unknown user, bad flag…). */
  rejected: 2,
  /** cosell could not run: the store is unreachable, or a bug. */
  failure: 3,
  /** Ctrl-C: 128 + SIGINT, as shells report a command the person interrupted. */
  interrupted: 130,
} as const;
