import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number option. */
export function parseIntOption(flag: string): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value)) throw new InvalidArgumentError(`${flag} must be a whole number, got "${value}"`);
    return Number(value);
  };
}
