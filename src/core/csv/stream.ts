/**
 * A CSV read as a stream (100,000-row imports): text slices in, batches of records out, so
 * neither the whole text nor every record is ever held at once. Papaparse's chunked parser
 * does the reading, as its own streamers drive it — each slice is parsed with the unfinished
 * last line of the one before, that line kept back until its end arrives — and the records are
 * assembled, checked and numbered exactly as `readCsv` does it (`RecordAssembler`), so a file
 * read either way gives the same records and the same rejections.
 */
import Papa, { type ParseError } from "papaparse";
import { type CsvDelimiter, sniffDialect } from "./dialect.js";
import { guardLines, type LineGuard, lineTooLong } from "./line-guard.js";
import { type CsvRecord, checkedHeader, RecordAssembler } from "./read.js";

export interface CsvStreamOptions {
  maxCellChars: number;
  lineGuard: LineGuard;
}

/** A CSV opened for streaming: its dialect and header, then its records batch by batch. */
export interface CsvStream {
  delimiter: CsvDelimiter;
  header: string[];
  /** The data records, one batch per text slice (a slice's worth, give or take a line), in order. */
  batches: Generator<CsvRecord[], void, undefined>;
}

/** A header row no co-sell file comes near (the catalogue's names are a few KB in all). */
const HEADER_MAX_CHARS = 1024 * 1024;

/** What the parser's result holds, checked: papaparse's types leave it `any`. */
interface ChunkResult {
  data: unknown[];
  errors: ParseError[];
  cursor: number;
}

const chunkResult = (value: unknown): ChunkResult => {
  if (typeof value !== "object" || value === null) throw new Error("papaparse returned no result");
  const data: unknown = Reflect.get(value, "data");
  const errors: unknown = Reflect.get(value, "errors");
  const meta: unknown = Reflect.get(value, "meta");
  const cursor: unknown = typeof meta === "object" && meta ? Reflect.get(meta, "cursor") : null;
  if (!Array.isArray(data) || !Array.isArray(errors) || typeof cursor !== "number") {
    throw new Error("papaparse returned an unexpected result");
  }
  return { data, errors, cursor };
};

/**
 * Opens the stream on its first slices (the header must be whole: a header that does not end
 * within the first slices is refused by the line guard as too long). Throws the same
 * `FileRejectedError`s as `readCsv`, a line longer than its columns could make included.
 */
export function openCsvStream(slices: Iterator<string>, opts: CsvStreamOptions): CsvStream {
  let first = slices.next();
  let text = first.done ? "" : first.value;
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  // The dialect is read from the header line: enough slices to hold it, and the character
  // after its line break (a CR alone, or CRLF). A first slice without one is looked at by the
  // guard first: a file no co-sell export could be is refused before more is read.
  for (let guarded = false; ; ) {
    const end = text.search(/[\r\n]/);
    if (first.done || (end !== -1 && end + 1 < text.length) || text.length > HEADER_MAX_CHARS)
      break;
    if (!guarded) guardLines(text, sniffDialect(text), opts.lineGuard);
    guarded = true;
    first = slices.next();
    if (!first.done) text += first.value;
  }
  const dialect = sniffDialect(text);
  // The header part of the guard needs only the first slice; it also checks that slice's lines.
  guardLines(text, dialect, opts.lineGuard);
  const parser = new Papa.Parser({
    delimiter: dialect.delimiter,
    newline: dialect.newline,
    quoteChar: '"',
  });
  const assembler = new RecordAssembler(opts.maxCellChars);
  let pending = "";
  let ended = first.done === true;

  /** Parses what has arrived (all of it at the end), keeping back the unfinished last line. */
  const parse = (more: string, last: boolean): CsvRecord[] => {
    const input = pending + more;
    const result = chunkResult(parser.parse(input, 0, !last));
    pending = last ? "" : input.slice(result.cursor);
    // An error in the line kept back may come from where the slice cut it (a CR without its
    // LF): it is reported, if real, once the line is whole.
    const errors = last
      ? result.errors
      : result.errors.filter((e) => (e.row ?? 0) < result.data.length);
    const out: CsvRecord[] = [];
    assembler.take(result.data, errors, out);
    if (assembler.header !== undefined) checkPending(assembler.header.length);
    return out;
  };
  // A line that never ends (no line break, or a quote never closed) would be parsed again with
  // every slice: refused as soon as it is longer than its columns could make.
  const checkPending = (columns: number): void => {
    const maxLine = columns * (2 * opts.lineGuard.cellChars + 3);
    if (pending.length > maxLine + 1) {
      throw lineTooLong(assembler.line, pending.length, columns, opts.lineGuard, maxLine);
    }
  };

  // Enough slices for the header row (the guard refused any header too long for the first).
  let early = parse(text, ended);
  while (assembler.header === undefined && !ended) {
    first = slices.next();
    ended = first.done === true;
    early = [...early, ...parse(first.done ? "" : first.value, ended)];
    if (pending.length > HEADER_MAX_CHARS) {
      throw lineTooLong(
        1,
        pending.length,
        opts.lineGuard.maxColumns,
        opts.lineGuard,
        HEADER_MAX_CHARS,
      );
    }
  }
  const header = checkedHeader(assembler.header);

  function* batches(): Generator<CsvRecord[], void, undefined> {
    if (early.length > 0) yield early;
    early = [];
    while (!ended) {
      const next = slices.next();
      ended = next.done === true;
      const records = parse(next.done ? "" : next.value, ended);
      if (records.length > 0) yield records;
    }
  }
  return { delimiter: dialect.delimiter, header, batches: batches() };
}
