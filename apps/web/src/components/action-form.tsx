"use client";

/**
 * A form handed to a server action: the browser's own validation is off (the action's schema
 * reports field errors), and `onSubmit` gets the form's data instead of the event.
 */
export function ActionForm({ onSubmit, ...props }: Omit<React.ComponentProps<"form">, "onSubmit"> & { onSubmit: (data: FormData) => void }) {
  return (
    <form
      noValidate
      {...props}
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(new FormData(e.currentTarget));
      }}
    />
  );
}
