/**
 * A Partner Center simulator on 127.0.0.1 per test, and an organisation connected to it:
 * the connector's tests run against real HTTP and a real store.
 */
import { afterEach, beforeEach } from "vitest";
import { connectPartnerCenter } from "../server/commands/connections.js";
import type { Store } from "../server/db/store.js";
import {
  type Simulator,
  type SimulatorOptions,
  startSimulator,
} from "../simulator/partner-center/server.js";
import { testDatabaseUrl } from "./db.js";
import type { World } from "./deals.js";

// PostgreSQL has no data folder for a key file: tests give the key through the environment.
if (testDatabaseUrl()) process.env.COSELL_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");

export function setupSimulator(options: SimulatorOptions = {}): () => Simulator {
  let sim: Simulator | undefined;
  beforeEach(async () => {
    sim = await startSimulator({ referrals: 12, maxPageSize: 5, ...options });
  });
  afterEach(async () => {
    await sim?.close();
    sim = undefined;
  });
  return () => {
    if (!sim) throw new Error("setupSimulator(): the simulator runs only inside a test");
    return sim;
  };
}

/** Connects the world's Contoso to the simulator; returns the connection id. */
export async function connectToSimulator(
  store: Store,
  world: Pick<World, "admin">,
  sim: Simulator,
  grant: "refresh_token" | "client_credentials" = "refresh_token",
): Promise<string> {
  const { connection } = await connectPartnerCenter(
    store,
    { actor: world.admin },
    {
      apiUrl: sim.apiUrl,
      tokenUrl: sim.tokenUrl,
      clientId: sim.credentials.clientId,
      clientSecret: sim.credentials.clientSecret,
      refreshToken: grant === "refresh_token" ? sim.credentials.refreshToken : null,
    },
  );
  return connection.id;
}
