/**
 * `cosell connect partner-center`: stores an organisation's Partner Center connection (the
 * local CLI runs as the store's operator, like `org create`). The client secret and refresh
 * token are sealed on entry and never printed back; the webhook secret is printed once.
 */
import type { Command } from "commander";
import { EXIT } from "./exit-codes.js";
import { printJson } from "./report.js";

interface ConnectFlags {
  org: string;
  apiUrl?: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken?: string;
  json?: boolean;
}

export function registerConnect(
  program: Command,
  withStore: (
    fn: (store: import("../server/db/store.js").Store) => Promise<number>,
  ) => Promise<void>,
): void {
  program
    .command("connect")
    .description("connect an organisation to a vendor API")
    .command("partner-center")
    .description("connect an organisation to Microsoft Partner Center's Referrals API")
    .requiredOption("--org <name>", "the organisation")
    .option(
      "--api-url <url>",
      "the base that /referrals hangs under (default https://api.partner.microsoft.com/v1.0/engagements)",
    )
    .requiredOption(
      "--token-url <url>",
      "the OAuth 2.0 token endpoint of the partner's Azure AD tenant",
    )
    .requiredOption("--client-id <id>", "the app registration's client id")
    .requiredOption(
      "--client-secret <secret>",
      "the app registration's client secret (stored encrypted)",
    )
    .option(
      "--refresh-token <token>",
      "a refresh token of a Referrals admin or user (stored encrypted; without it, the client-credentials grant is used)",
    )
    .option("--json", "print one JSON object")
    .action(async (o: ConnectFlags) =>
      withStore(async (store) => {
        const { orgIdByName } = await import("../server/commands/accounts.js");
        const { connectPartnerCenter } = await import("../server/commands/connections.js");
        const orgId = await orgIdByName(store, o.org);
        const { connection, webhookSecret } = await connectPartnerCenter(
          store,
          { orgId },
          {
            apiUrl: o.apiUrl ?? null,
            tokenUrl: o.tokenUrl,
            clientId: o.clientId,
            clientSecret: o.clientSecret,
            refreshToken: o.refreshToken ?? null,
          },
        );
        const webhook = `${connection.webhookPath}?secret=${webhookSecret}`;
        if (o.json) printJson({ connection, webhook });
        else {
          console.log(
            `Connected '${o.org}' to Partner Center at ${connection.apiUrl} (client ${connection.clientId}, ${connection.grant} grant); connection ${connection.id}`,
          );
          console.log(
            `Webhook (shown once; register it for referral-created and referral-updated): ${webhook}`,
          );
          console.log(`Next: cosell sync --org '${o.org}'`);
        }
        return EXIT.ok;
      }),
    );
}
