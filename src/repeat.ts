/**
 * Runs a task now and then every `everyMs`, never two at once (a slow run delays the next rather
 * than overlapping it). A failed run is handed to `onError` and the next one runs as usual.
 * `stop` waits for a run in progress. The timer does not keep the process alive.
 */
export function repeat(task: () => Promise<void>, everyMs: number, onError: (error: unknown) => void): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(task).catch(onError);
  };
  tick();
  const timer = setInterval(tick, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
