"use client";

import { create } from "zustand";
import { persist } from "zustand/middleware";

/** Client-only UI state that outlives a page: the sidebar on small screens and the snippet tab picked. */
interface UiState {
  mobileNavOpen: boolean;
  setMobileNavOpen: (open: boolean) => void;
  snippetClient: string;
  snippetTransport: "streamable_http" | "sse";
  setSnippetPrefs: (prefs: Partial<Pick<UiState, "snippetClient" | "snippetTransport">>) => void;
}

export const useUiStore = create<UiState>()(
  persist(
    (set) => ({
      mobileNavOpen: false,
      setMobileNavOpen: (open) => set({ mobileNavOpen: open }),
      snippetClient: "cursor",
      snippetTransport: "streamable_http",
      setSnippetPrefs: (prefs) => set(prefs),
    }),
    { name: "switchyard-ui", partialize: (s) => ({ snippetClient: s.snippetClient, snippetTransport: s.snippetTransport }) },
  ),
);
