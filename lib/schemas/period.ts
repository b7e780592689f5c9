import { z } from "zod";

/** Settings → program: the first business day the period job runs by itself. */
export const goLiveInput = z.object({ goLiveDate: z.iso.date("must be a date YYYY-MM-DD") });
export type GoLiveInput = z.infer<typeof goLiveInput>;

/** Settings → program: run the period job up to a past business day (history included). */
export const periodRunInput = z.object({ asOf: z.iso.date("must be a date YYYY-MM-DD") });
export type PeriodRunInput = z.infer<typeof periodRunInput>;
