"use client";
// useSearchParams / usePathname for components of app/. A project with a pages/ directory (it has
// one: the events route) gets Next's compat types, where these may be null — which happens only
// in a component rendered by a page of pages/, and there are none.
import { usePathname as usePathnameOrNull, useSearchParams as useSearchParamsOrNull, ReadonlyURLSearchParams } from "next/navigation";

export const usePathname = (): string => usePathnameOrNull() ?? "/";
export const useSearchParams = (): ReadonlyURLSearchParams => useSearchParamsOrNull() ?? new ReadonlyURLSearchParams();
