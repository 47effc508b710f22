/**
 * What every route is given: the store, the limits and a way to wake the worker. Its own
 * module, so that the routes depend on it and the app that mounts them, not on each other.
 */
import type { Limits } from "../../core/limits.js";
import type { Store } from "../db/store.js";

export interface AppContext {
  store: Store;
  limits: Limits;
  /** Tells a worker that a job is waiting. */
  wake(): void;
}
