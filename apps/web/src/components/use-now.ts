"use client";

import { useEffect, useState } from "react";

/** The current time as state, re-read every `intervalMs`: render code compares against it instead of calling Date.now(). */
export function useNow(intervalMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
