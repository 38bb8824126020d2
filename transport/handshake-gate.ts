/**
 * Runs at most `max` started tasks at once; the rest wait in order, urgent ones ahead of the others.
 * With one lane every channel connection of an agents process queued behind all of its enrollments
 * still waiting, so a large fleet had next to no device connected (or checking in) while it enrolled.
 */
export function gate(max: number): <T>(task: () => Promise<T>, urgent?: boolean) => Promise<T> {
  let running = 0;
  const urgentWaiting: (() => void)[] = [];
  const waiting: (() => void)[] = [];
  const release = () => {
    running--;
    (urgentWaiting.shift() ?? waiting.shift())?.();
  };
  return (task, urgent = false) =>
    new Promise((resolve, reject) => {
      const run = () => {
        running++;
        task().then(resolve, reject).finally(release);
      };
      if (running < max) run();
      else (urgent ? urgentWaiting : waiting).push(run);
    });
}
