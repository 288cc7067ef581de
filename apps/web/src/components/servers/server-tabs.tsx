"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/utils";

/** `logs` is the project explorer filtered to this server (one explorer, not a second one). */
export function ServerTabs({ base, logs }: { base: string; logs: string }) {
  const pathname = usePathname();
  const tabs = [
    { href: base, label: "Overview" },
    { href: `${base}/tools`, label: "Tools" },
    { href: `${base}/events`, label: "Events" },
    { href: logs, label: "Logs" },
    { href: `${base}/settings`, label: "Settings" },
  ];
  return (
    <nav className="mt-4 flex gap-1 border-b" aria-label="Server sections">
      {tabs.map((t) => {
        const active = pathname === t.href;
        return (
          <Link
            key={t.href}
            href={t.href}
            aria-current={active ? "page" : undefined}
            className={cn("-mb-px border-b-2 px-3 py-2 text-sm transition-colors", active ? "border-brand font-medium text-foreground" : "border-transparent text-muted-foreground hover:text-foreground")}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}
