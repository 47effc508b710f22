/**
 * The end of an exhaustive `switch`: given the value no case matched, whose type is `never`
 * once every case is handled. A new member of the union without its case is then a compile
 * error at the switch, not a silent fall-through at run time.
 */
export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${String(value)}`);
}
