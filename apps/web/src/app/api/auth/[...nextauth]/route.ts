// /api/auth/* — next-auth's own endpoints (session, CSRF, sign-out). Not a tenant route: it only
// ever reads the caller's own session cookie.
import { handlers } from "@/server/auth/auth";

export const { GET, POST } = handlers;
