/**
 * Runs a task now and then every `everyMs`, never two at once (a slow run delays the next rather
 * than overlapping it). A failed run is handed to `onError` and the next one runs as usual.
 * `runSoon` asks for a run without waiting for the timer (several asks before it starts make one
 * run). `stop` waits for a run in progress. The timer does not keep the process alive.
 */
export function repeat(
  task: () => Promise<void>,
  everyMs: number,
  onError: (error: unknown) => void,
): { runSoon(): void; stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let queued = false;
  let stopped = false;
  const tick = () => {
    if (queued || stopped) return;
    queued = true;
    running = running
      .then(() => {
        queued = false;
        return task();
      })
      .catch(onError);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    runSoon: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
