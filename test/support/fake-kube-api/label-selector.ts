/** One requirement of an equality-based label selector. */
interface Requirement {
  readonly key: string;
  readonly op: '=' | '!=' | 'exists' | '!exists';
  readonly value: string;
}

/** A parsed label selector (`a=b,c!=d,e,!f`); set-based (`in`, `notin`) is not supported. */
export type LabelSelector = (labels: Readonly<Record<string, string>> | undefined) => boolean;

/** Parses an equality-based label selector; an empty one matches everything. */
export function parseLabelSelector(selector: string | null | undefined): LabelSelector {
  const requirements: Requirement[] = [];
  for (const part of (selector ?? '').split(',').map((p) => p.trim())) {
    if (!part) continue;
    const match = /^([^!=]+)(==|!=|=)(.*)$/.exec(part);
    if (match) {
      const [, key = '', op, value = ''] = match;
      requirements.push({ key: key.trim(), op: op === '!=' ? '!=' : '=', value: value.trim() });
    } else if (part.startsWith('!')) requirements.push({ key: part.slice(1), op: '!exists', value: '' });
    else requirements.push({ key: part, op: 'exists', value: '' });
  }
  return (labels = {}) =>
    requirements.every((r) => {
      const actual = labels[r.key];
      if (r.op === 'exists') return actual !== undefined;
      if (r.op === '!exists') return actual === undefined;
      if (r.op === '=') return actual === r.value;
      return actual !== r.value;
    });
}
