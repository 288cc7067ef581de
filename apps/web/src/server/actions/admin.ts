"use server";

import { pauseWorkerJob, resumeWorkerJob, runWorkerJobNow, setUserActive as setUserActiveService, setUserAdmin as setUserAdminService, setWorkerJobInterval } from "@switchyard/core/services";
import { AppError } from "@switchyard/shared";
import { z } from "zod";
import { action } from "../action";
import { verificationLink as issueVerificationLink } from "../mailer";

export const setUserActive = action.admin({
  name: "admin.setUserActive",
  input: z.object({ userId: z.uuid(), active: z.boolean() }),
  handler: async ({ deps, actor }, input) => {
    const user = await setUserActiveService(deps, actor, input.userId, input.active);
    return { id: user.id, isActive: user.isActive };
  },
});

export const setUserAdmin = action.admin({
  name: "admin.setUserAdmin",
  input: z.object({ userId: z.uuid(), isAdmin: z.boolean() }),
  handler: async ({ deps, actor }, input) => {
    const user = await setUserAdminService(deps, actor, input.userId, input.isAdmin);
    return { id: user.id, isAdmin: user.isAdmin };
  },
});

/** A fresh verification link for an unverified user (zero-setup has no mail: the admin passes it on). */
export const verificationLink = action.admin({
  name: "admin.verificationLink",
  input: z.object({ userId: z.uuid() }),
  handler: async ({ deps }, input) => {
    const issued = await issueVerificationLink(deps, input.userId);
    if (!issued) throw new AppError("conflict", "this user's email address is already verified");
    return { userId: input.userId, ...issued };
  },
});

const jobName = z.string().min(1).max(100);

export const pauseJob = action.admin({
  name: "admin.pauseJob",
  input: z.object({ jobName }),
  handler: async ({ deps, actor }, input) => pauseWorkerJob({ db: deps.db, queues: deps.queues() }, actor, input.jobName),
});

export const resumeJob = action.admin({
  name: "admin.resumeJob",
  input: z.object({ jobName }),
  handler: async ({ deps, actor }, input) => resumeWorkerJob({ db: deps.db, queues: deps.queues() }, actor, input.jobName),
});

export const setJobInterval = action.admin({
  name: "admin.setJobInterval",
  input: z.object({ jobName, minutes: z.number().int().min(1).max(24 * 60) }),
  handler: async ({ deps, actor }, input) => setWorkerJobInterval({ db: deps.db, queues: deps.queues() }, actor, input.jobName, input.minutes),
});

export const runJobNow = action.admin({
  name: "admin.runJobNow",
  input: z.object({ jobName }),
  handler: async ({ deps, actor }, input) => runWorkerJobNow({ db: deps.db, queues: deps.queues() }, actor, input.jobName),
});
