/**
 * Coalesced requests for a control that fires on every pixel of a drag: at most one
 * request in flight; while it runs, only the newest wish is kept and sent next. Every
 * answer is shown as it arrives (each was the newest when sent), so dragging stays live
 * without queueing stale work. No DOM.
 */

/**
 * send(key, body) -> Promise<answer>; onAnswer(answer, key, settled) is called for each
 * answer, settled = true when nothing newer is waiting; onError(err, key) likewise.
 */
export function latestOnly(send, onAnswer, onError) {
  let inFlight = false;
  let pending = null;

  async function pump() {
    if (inFlight || pending === null) return;
    const { key, body } = pending;
    pending = null;
    inFlight = true;
    try {
      const answer = await send(body);
      onAnswer(answer, key, pending === null);
    } catch (err) {
      onError(err, key, pending === null);
    } finally {
      inFlight = false;
    }
    await pump();
  }

  return {
    request(key, body) {
      pending = { key, body };
      return pump();
    },
    get busy() { return inFlight || pending !== null; },
  };
}
