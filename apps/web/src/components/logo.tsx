import { cn } from "@/lib/utils";

/** Switchyard's mark: tracks merging into one line. */
export function Logo({ className, withName = true }: { className?: string; withName?: boolean }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold tracking-tight", className)}>
      <span className="flex size-7 items-center justify-center rounded-lg bg-primary text-primary-foreground">
        <svg viewBox="0 0 24 24" className="size-4" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" aria-hidden>
          <path d="M4 6h5c3 0 4 6 7 6h4" />
          <path d="M4 18h5c3 0 4-6 7-6" />
        </svg>
      </span>
      {withName ? <span>Switchyard</span> : null}
    </span>
  );
}
