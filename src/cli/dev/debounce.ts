/** Calls `run` once `ms` after the last of a burst of calls. */
export function debounce(ms: number, run: () => void): { (): void; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const call = () => {
    clearTimeout(timer);
    timer = setTimeout(run, ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}
