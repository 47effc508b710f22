/** CSV file reading and writing: bytes ⇄ text ⇄ records, and the formula-injection guard. */
export type { CsvDelimiter } from "./dialect.js";
export {
  type ByteSource,
  bytesSource,
  decodeBytes,
  decodeSlices,
  detectEncoding,
  isUtf8Source,
} from "./encoding.js";
export { neutraliseCell, restoreCell } from "./formula.js";
export { type CsvRecord, type CsvTable, readCsv } from "./read.js";
export { writeCsv } from "./write.js";
