"use server";

import { changePassword as changePasswordService, updateProfile as updateProfileService } from "@switchyard/core/services";
import { changePasswordSchema, profileSchema } from "@/lib/schemas";
import { action } from "../action";
import { signOut } from "../auth/auth";

export const updateProfile = action.user({
  name: "account.updateProfile",
  input: profileSchema,
  handler: async ({ deps, user }, input) => {
    const updated = await updateProfileService(deps, user.id, input);
    return { name: updated.name };
  },
});

/** Changing the password ends every session, this one included: the user signs in again. */
export const changePassword = action.user({
  name: "account.changePassword",
  input: changePasswordSchema,
  handler: async ({ deps, user }, input) => {
    await changePasswordService(deps, user.id, input);
    await signOut({ redirect: false });
    return { signedOut: true };
  },
});
