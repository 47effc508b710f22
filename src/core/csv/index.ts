/** CSV file reading and writing: bytes ⇄ text ⇄ records, and the formula-injection guard. */
export {
  CSV_DELIMITERS,
  type CsvDelimiter,
  type CsvDialect,
  type CsvNewline,
  sniffDialect,
} from "./dialect.js";
export { type DecodedText, type DetectedEncoding, decodeBytes } from "./encoding.js";
export { neutraliseCell, restoreCell } from "./formula.js";
export { type CsvRecord, type CsvTable, type ReadCsvOptions, readCsv } from "./read.js";
export { csvRow, type WriteCsvOptions, writeCsv } from "./write.js";
