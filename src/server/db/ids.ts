/**
 * Referral and Engagement IDs are UUIDs, as in Partner Center. New ones are time-ordered
 * (version 7): rows of one import land on neighbouring index pages instead of all over the
 * B-tree, which the benchmark measured as 3× faster inserts into 100,000 existing deals.
 */
import { v7 } from "uuid";

export const newDealId = (): string => v7();
