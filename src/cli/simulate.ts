/**
 * `cosell simulate partner-center`: serves the project's Partner Center Referrals API
 * simulator on loopback, so the connector can be tried without a Microsoft tenant. It prints
 * the URLs and credentials that `cosell connect partner-center` takes, then runs until stopped.
 */
import { type Command, Option } from "commander";
import { EXIT } from "./exit-codes.js";

const integer = (name: string) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`${name} must be a whole number, got '${text}'`);
  return n;
};

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("run a simulator of a vendor API on 127.0.0.1 (for tests and demos)")
    .command("partner-center")
    .description(
      "simulate Microsoft Partner Center's Referrals API, with seeded incoming referrals",
    )
    .addOption(new Option("--port <port>", "port to listen on (0 picks a free one)").default(4010))
    .addOption(new Option("--seed <seed>", "seed of the generated referrals").default(1))
    .option("--referrals <n>", "how many incoming referrals to seed", "25")
    .action(async (o: { port: string | number; seed: string | number; referrals: string }) => {
      const { startSimulator } = await import("../simulator/partner-center/server.js");
      let port: number;
      let seed: number;
      let referrals: number;
      try {
        port = integer("--port")(String(o.port));
        seed = integer("--seed")(String(o.seed));
        referrals = integer("--referrals")(o.referrals);
      } catch (e) {
        console.error(`cosell: ${e instanceof Error ? e.message : String(e)}`);
        process.exitCode = EXIT.rejected;
        return;
      }
      const sim = await startSimulator({ port, seed, referrals });
      const c = sim.credentials;
      process.stdout.write(
        [
          `Partner Center simulator listening on ${sim.url} (${referrals} incoming referrals, seed ${seed})`,
          "Connect an organisation to it with:",
          `  cosell connect partner-center --org NAME --api-url ${sim.apiUrl} --token-url ${sim.tokenUrl} \\`,
          `    --client-id ${c.clientId} --client-secret ${c.clientSecret} --refresh-token ${c.refreshToken}`,
          "Test hooks (no auth, loopback only): POST /_sim/throttle {every, retryAfterSeconds}, POST /_sim/expire-tokens,",
          "  POST /_sim/referrals (a new incoming referral), PATCH /_sim/referrals/:id (JSON Patch as Microsoft), GET /_sim/stats,",
          "  POST /_sim/webhook {url, hold} (where events go; hold keeps them), POST /_sim/webhook/flush {reverse, times}",
          "",
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await sim.close();
    });
}
