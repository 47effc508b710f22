/** The CLI's `--format csv|xlsx`: which file `template` writes (the workbook needs ExcelJS, loaded only then). */
import type { Lang } from "../core/columns.js";

export async function templateOf(o: {
  lang: Lang;
  format: "csv" | "xlsx";
  example?: boolean;
}): Promise<string | Uint8Array> {
  if (o.format === "xlsx") {
    const { templateWorkbook } = await import("../server/xlsx/template-workbook.js");
    return templateWorkbook(o.lang, o.example ?? false);
  }
  const { templateFile } = await import("../core/template.js");
  return templateFile(o.lang, o.example ?? false);
}
