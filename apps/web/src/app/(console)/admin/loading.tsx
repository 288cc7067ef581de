import { PageSkeleton } from "@/components/states";

// Only in leaf segments: the layouts above (which resolve the tenant and may 404) render first.
export default function Loading() {
  return <PageSkeleton />;
}
