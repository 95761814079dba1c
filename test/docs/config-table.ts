import { CONFIG_KEYS, DEFAULT_CONFIG } from '../../src/config/index.js';

/** The configuration table of docs/configuration.md, generated from the code. */
export function configTable(): string {
  const rows = CONFIG_KEYS.map((k) => {
    const value = (DEFAULT_CONFIG as unknown as Record<string, unknown>)[k.key];
    const shown = value === undefined ? '—' : `\`${JSON.stringify(value)}\``;
    return `| \`${k.key}\` | \`${k.env}\` | ${k.type} | ${shown} | ${k.description} |`;
  });
  return ['| key | environment | type | default | meaning |', '|---|---|---|---|---|', ...rows].join('\n');
}
