/**
 * The language a request's messages are written in: what its `Accept-Language` asks for,
 * among English and French (English when absent, `*` or neither). The page sends the
 * language the person chose in its switch on every call, so its choice wins over the
 * browser's; scripts and the CLI send none and get the English, which is the contract.
 */
import type { FastifyRequest } from "fastify";
import { isRecord } from "../../core/json.js";
import { type Lang, type Localizable, messageIn, preferredLang } from "../../core/messages/text.js";

export function requestLang(request: FastifyRequest): Lang {
  return preferredLang(request.headers["accept-language"]);
}

/** Row errors (or anything with a message and its French) as `lang` reads them, without `fr`. */
export function saidIn<T extends Localizable>(lang: Lang, said: T): Omit<T, "fr"> {
  const { fr: _fr, ...rest } = said;
  return { ...rest, message: messageIn(lang, said) };
}

/** An error's details: the row errors in them in `lang`; anything else as it is. */
export function localizeDetails(lang: Lang, details: unknown): unknown {
  if (!Array.isArray(details)) return details;
  return details.map((d: unknown) =>
    isRecord(d) && typeof d.message === "string"
      ? saidIn(lang, { ...d, message: d.message, fr: typeof d.fr === "string" ? d.fr : undefined })
      : d,
  );
}
