/** The signed-in user of the current request (deduplicated per request with React's cache). */
import { cache } from "react";
import { z } from "zod";
import { auth } from "./auth/auth";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  isAdmin: boolean;
}

const sessionUserSchema = z.object({ id: z.string().min(1), email: z.string(), name: z.string(), isAdmin: z.boolean() });

export const getSessionUser = cache(async (): Promise<SessionUser | null> => {
  const session = await auth();
  const parsed = sessionUserSchema.safeParse(session?.user);
  return parsed.success ? parsed.data : null;
});
