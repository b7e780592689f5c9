"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { programHeadAction } from "@/lib/workbench/actions";

/** The program version in force, as the editors know it: set by their saves, refetched after each. */
export const programHeadKey = ["workbench", "program-head"] as const;
export interface ProgramHead {
  version: number;
  effectiveFrom: string;
}

async function fetchHead(): Promise<ProgramHead> {
  const r = await programHeadAction({});
  if (!r.ok) throw new Error(r.error.message);
  return r.data;
}

export function useProgramHead(rendered: ProgramHead) {
  const queryClient = useQueryClient();
  // A page rendered after the cached answer (another tab or user saved since) knows better.
  useEffect(() => {
    const cached = queryClient.getQueryData<ProgramHead>(programHeadKey);
    if (!cached || cached.version < rendered.version) queryClient.setQueryData(programHeadKey, rendered);
  }, [queryClient, rendered]);
  return useQuery({ queryKey: programHeadKey, queryFn: fetchHead, initialData: rendered, staleTime: 60_000 }).data;
}
