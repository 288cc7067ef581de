/**
 * A stream passed through unchanged, with `onEnd` called once when it ends: read to the end,
 * cancelled by its reader, or failed. For bookkeeping tied to a response body's life (an open
 * stream counted on a session, a listener to detach once a response is read).
 */
export function untilStreamEnds<T>(source: ReadableStream<T>, onEnd: () => void): ReadableStream<T> {
  const reader = source.getReader();
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    onEnd();
  };
  return new ReadableStream<T>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          end();
          controller.close();
        } else controller.enqueue(chunk.value);
      } catch (e) {
        end();
        controller.error(e);
      }
    },
    async cancel(reason) {
      end();
      await reader.cancel(reason);
    },
  });
}
