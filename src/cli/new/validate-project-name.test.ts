import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { validateProjectName } from './validate-project-name.js';

describe('validateProjectName', () => {
  it.each(['demo', 'my-app', 'a', 'app2', 'x'.repeat(63)])('accepts %s', (name) => {
    expect(() => validateProjectName(name)).not.toThrow();
  });

  it.each(['My_App', '-app', 'app-', '@scope/app', 'a.b', '', 'x'.repeat(64), 'node_modules', 'ünï'])('refuses %j', (name) => {
    expect(() => validateProjectName(name)).toThrow(UsageError);
  });

  it('suggests a name that would do', () => {
    expect(() => validateProjectName('My_App')).toThrow(/\(e\.g\. "my-app"\)$/);
  });
});
