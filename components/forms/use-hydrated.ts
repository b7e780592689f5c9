"use client";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

/**
 * False during server render and hydration, true after. Submit buttons stay disabled until then, so
 * an early click can't submit the form natively (which would put its fields in the URL).
 */
export function useHydrated() {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
