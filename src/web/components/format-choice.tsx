/** The CSV / Excel workbook choice of the template and export downloads. */
import { t } from "../messages.js";

/** A file's format, for the template and the export. */
export type FileFormat = "csv" | "xlsx";

/** The CSV / workbook choice, labelled (a select: the choice is one of two). */
export const FormatChoice = ({
  label,
  value,
  onChange,
}: {
  label: string;
  value: FileFormat;
  onChange: (format: FileFormat) => void;
}) => (
  <label className="file-format">
    <span className="sr-only">{label}</span>
    <select
      value={value}
      title={label}
      onChange={(e) => onChange(e.target.value === "xlsx" ? "xlsx" : "csv")}
    >
      <option value="csv">{t.fileFormatCsv}</option>
      <option value="xlsx">{t.fileFormatXlsx}</option>
    </select>
  </label>
);
