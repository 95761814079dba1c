import { existsSync, type FSWatcher, watch } from 'node:fs';
import { debounce } from './debounce.js';

/**
 * Watches `dirs` (recursively) for files `accept` takes and calls `onChange` once per burst of
 * events (an editor's save is several), `debounceMs` after the last. Returns a closer.
 */
export function watchFiles(
  dirs: readonly string[],
  accept: (file: string) => boolean,
  debounceMs: number,
  onChange: () => void,
): () => void {
  const fire = debounce(debounceMs, onChange);
  const watchers: FSWatcher[] = [...new Set(dirs)]
    .filter((dir) => existsSync(dir))
    .map((dir) =>
      watch(dir, { recursive: true }, (_event, file) => {
        if (file !== null && accept(String(file))) fire();
      }),
    );
  return () => {
    fire.cancel();
    for (const watcher of watchers) watcher.close();
  };
}
