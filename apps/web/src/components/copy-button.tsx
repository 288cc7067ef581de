"use client";

import { CheckIcon, CopyIcon } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

async function writeClipboard(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
  // http://127.0.0.1 without a secure context: the legacy path still works in every browser.
  const area = document.createElement("textarea");
  area.value = text;
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

export function CopyButton({ value, label = "Copy", className, size = "icon-sm" }: { value: string; label?: string; className?: string; size?: "icon-sm" | "sm" }) {
  const [copied, setCopied] = useState(false);
  const onClick = async () => {
    try {
      await writeClipboard(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      toast.error("Could not copy to the clipboard");
    }
  };
  return (
    <Button type="button" variant={size === "sm" ? "outline" : "ghost"} size={size} className={cn(className)} onClick={() => void onClick()} aria-label={label} data-copy-value={value}>
      {copied ? <CheckIcon className="text-success" /> : <CopyIcon />}
      {size === "sm" ? (copied ? "Copied" : label) : null}
    </Button>
  );
}
