/**
 * A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise
 * (logs and CI stay readable).
 */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
  const started = Date.now();
  let lastTenth = -1;
  return {
    update(done: number, total: number): void {
      const fraction = total === 0 ? 1 : Math.min(1, done / total);
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const rate = Math.round(done / seconds);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(fraction * width);
        stream.write(
          `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.floor(fraction * 100)}% ${done}/${total} ${rate}/s `,
        );
        if (done >= total) stream.write('\n');
      } else {
        const tenth = Math.floor(fraction * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          stream.write(`${label}: ${Math.floor(fraction * 100)}% ${done}/${total} ${rate}/s\n`);
        }
      }
    },
  };
}
