import { cn } from "@/lib/utils";
import { CopyButton } from "./copy-button";

export function CodeBlock({ code, className, copy = true, label }: { code: string; className?: string; copy?: boolean; label?: string }) {
  return (
    <div className={cn("group relative rounded-lg border bg-muted/40", className)}>
      {label ? <div className="border-b px-3 py-1.5 font-mono text-[11px] text-muted-foreground">{label}</div> : null}
      <pre className="overflow-x-auto p-3 pr-10 text-xs leading-relaxed" data-testid="code-block">
        <code>{code}</code>
      </pre>
      {copy ? <CopyButton value={code} className="absolute top-1.5 right-1.5" label="Copy snippet" /> : null}
    </div>
  );
}
