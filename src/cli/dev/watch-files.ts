import { existsSync, type FSWatcher, watch } from 'node:fs';
import { debounce } from './debounce.js';

/**
 * Watches `dirs` (with `recursive`, their subdirectories too) for files `accept` takes and calls
 * `onChange` once per burst of events (an editor's save is several), `debounceMs` after the last.
 * Returns a closer.
 */
export function watchFiles(
  dirs: readonly string[],
  accept: (file: string) => boolean,
  options: { readonly debounceMs: number; readonly recursive: boolean },
  onChange: () => void,
): () => void {
  const fire = debounce(options.debounceMs, onChange);
  const watchers: FSWatcher[] = [...new Set(dirs)]
    .filter((dir) => existsSync(dir))
    .map((dir) =>
      watch(dir, { recursive: options.recursive }, (_event, file) => {
        if (file !== null && accept(String(file))) fire();
      }),
    );
  return () => {
    fire.cancel();
    for (const watcher of watchers) watcher.close();
  };
}
