/**
 * Whether a process of this machine with this id is running: the writer of a temporary file or
 * of a test run's bundles, found gone, left them behind.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it lives, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
