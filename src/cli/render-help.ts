import { type Command, type OptionDef, optionFlags } from './command.js';
import type { Program } from './program.js';

type Row = readonly [term: string, description: string];

const HELP_ROW: Row = ['-h, --help', 'display help for command'];

/** `krpc-app --help`: usage, description, the program's options and the commands, wrapped to `width` columns. */
export function renderProgramHelp(program: Program, width: number): string {
  const commands = program.commands.map((c): Row => [`${c.name} [options] ${argumentUsage(c)}`, c.description]);
  return renderHelp(`${program.name} [options] [command]`, program.description, width, [
    ['Options', [['-V, --version', 'output the version number'], HELP_ROW]],
    ['Commands', [...commands, ['help [command]', 'display help for command']]],
  ]);
}

/** `krpc-app start --help`: usage, description, the argument and every option with its choices and default. */
export function renderCommandHelp(program: Program, command: Command, width: number): string {
  const { argument } = command;
  return renderHelp(`${program.name} ${command.name} [options] ${argumentUsage(command)}`, command.description, width, [
    ['Arguments', [[argument.name, withExtras(argument.description, undefined, argument.default)]]],
    ['Options', [...command.options.map(optionRow), HELP_ROW]],
  ]);
}

function renderHelp(usage: string, description: string, width: number, sections: readonly (readonly [string, readonly Row[]])[]): string {
  const termWidth = Math.max(...sections.flatMap(([, rows]) => rows.map(([term]) => term.length))) + 2;
  const parts = [`Usage: ${usage}`, wrap(description, width).join('\n')];
  for (const [title, rows] of sections) parts.push(`${title}:\n${rows.map((row) => renderRow(row, termWidth, width)).join('\n')}`);
  return `${parts.join('\n\n')}\n`;
}

function renderRow([term, description]: Row, termWidth: number, width: number): string {
  const indent = 2 + termWidth;
  const lines = wrap(description, Math.max(width - indent, 30));
  return `  ${term.padEnd(termWidth)}${lines.join(`\n${' '.repeat(indent)}`)}`;
}

function optionRow(option: OptionDef): Row {
  return [optionFlags(option), withExtras(option.description, option.choices, option.default)];
}

function withExtras(description: string, choices: readonly string[] | undefined, defaultValue: string | number | undefined): string {
  const extras = [
    ...(choices === undefined ? [] : [`choices: ${choices.map((c) => JSON.stringify(c)).join(', ')}`]),
    ...(defaultValue === undefined ? [] : [`default: ${JSON.stringify(defaultValue)}`]),
  ];
  return extras.length === 0 ? description : `${description} (${extras.join(', ')})`;
}

function argumentUsage(command: Command): string {
  return command.argument.default === undefined ? `<${command.argument.name}>` : `[${command.argument.name}]`;
}

/** Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line of its own). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}
