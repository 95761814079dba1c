import { describe, expect, it } from 'vitest';
import { argumentsUsage, defineCommand } from './command.js';
import { parseCommandLine } from './parse-command-line.js';
import { krpcApp, type Program } from './program.js';

// The version is read from package.json relative to the built file; the e2e test checks the real one.
const program: Program = { ...krpcApp, version: () => '1.2.3' };
const USAGE = '(run krpc-app --help for usage)\n';

/** What a user sees: stdout, stderr and the exit code; or, for a command to run, its argument and flags. */
function cli(...argv: string[]) {
  const result = parseCommandLine(program, argv);
  if (result.kind === 'print') {
    return {
      stdout: result.stream === 'stdout' ? result.text : '',
      stderr: result.stream === 'stderr' ? result.text : '',
      code: result.exitCode,
    };
  }
  if (result.rest.length > 0) return { command: result.command.name, argument: result.argument, rest: result.rest, flags: result.flags };
  return { command: result.command.name, argument: result.argument, flags: result.flags };
}

const usageError = (message: string) => ({ stdout: '', stderr: `error: ${message}\n${USAGE}`, code: 2 });

describe('krpc-app command line', () => {
  describe('options', () => {
    it('reads --flag value, --flag=value and -f value alike', () => {
      const expected = { command: 'start', argument: '.', flags: { host: '::1', port: 8080 } };
      expect(cli('start', '--host', '::1', '--port', '8080')).toEqual(expected);
      expect(cli('start', '--host=::1', '--port=8080')).toEqual(expected);
      expect(cli('start', '-H', '::1', '-p', '8080')).toEqual(expected);
      expect(cli('start', '-H::1', '-p8080')).toEqual(expected);
    });

    it('parses whole numbers, including 0', () => {
      expect(cli('start', '-p', '0', '--runtime-port', '9000')).toMatchObject({ flags: { port: 0, runtimePort: 9000 } });
    });

    it.each([
      [['start', '--port', 'abc'], '--port must be a whole number, got "abc"'],
      [['start', '--port=abc'], '--port must be a whole number, got "abc"'],
      [['start', '-p', 'abc'], '--port must be a whole number, got "abc"'],
      [['start', '--port', '-1'], '--port must be a whole number, got "-1"'],
      [['start', '--port', '1.5'], '--port must be a whole number, got "1.5"'],
      [['start', '--port='], '--port must be a whole number, got ""'],
      [['start', '--runtime-port', 'x'], '--runtime-port must be a whole number, got "x"'],
    ])('rejects %j naming the flag and the value', (argv, message) => {
      expect(cli(...argv)).toEqual(usageError(message));
    });

    it('says which option lacks its value', () => {
      expect(cli('start', '--port')).toEqual(usageError("option '-p, --port <port>' argument missing"));
      expect(cli('types', '-o')).toEqual(usageError("option '-o, --out <dir>' argument missing"));
    });

    it('sets boolean flags, alone or grouped, and refuses a value for them', () => {
      expect(cli('start', '-v')).toMatchObject({ flags: { verbose: true } });
      expect(cli('start', '-vp', '1')).toMatchObject({ flags: { verbose: true, port: 1 } });
      expect(cli('deploy', '--dry-run', '--force-conflicts')).toMatchObject({ flags: { dryRun: true, forceConflicts: true } });
      expect(cli('start')).toEqual({ command: 'start', argument: '.', flags: {} });
      expect(cli('start', '--verbose=yes')).toEqual(usageError("option '-v, --verbose' takes no value, got 'yes'"));
    });

    it('refuses an unknown option, suggesting a close one', () => {
      expect(cli('start', '--bogus')).toEqual(usageError("unknown option '--bogus'"));
      expect(cli('start', '-x')).toEqual(usageError("unknown option '-x'"));
      expect(cli('start', '--prot', '1')).toEqual(usageError("unknown option '--prot' (did you mean --port?)"));
      expect(cli('start', '--runtime_port', '1')).toEqual(usageError("unknown option '--runtime_port' (did you mean --runtime-port?)"));
      expect(cli('--bogus')).toEqual(usageError("unknown option '--bogus'"));
      expect(cli('--hepl')).toEqual(usageError("unknown option '--hepl' (did you mean --help?)"));
    });

    it('reports the first problem from the left', () => {
      expect(cli('start', '--port', 'abc', '--bogus')).toEqual(usageError('--port must be a whole number, got "abc"'));
      expect(cli('start', 'a', 'b', '--bogus')).toEqual(usageError("unknown option '--bogus'"));
    });

    it('checks choices and fills defaults', () => {
      expect(cli('manifests')).toEqual({ command: 'manifests', argument: '.', flags: { format: 'yaml' } });
      expect(cli('manifests', '-f', 'json', '-a', 'keda', '-n', 'shop')).toMatchObject({
        flags: { format: 'json', autoscaler: 'keda', namespace: 'shop' },
      });
      expect(cli('manifests', '--format', 'xml')).toEqual(usageError('--format must be one of yaml, json, got "xml"'));
      expect(cli('manifests', '--format=xml')).toEqual(usageError('--format must be one of yaml, json, got "xml"'));
      expect(cli('deploy', '-a', 'vpa')).toEqual(usageError('--autoscaler must be one of hpa, keda, none, got "vpa"'));
      expect(cli('types')).toMatchObject({ flags: { out: 'src/generated' } });
    });
  });

  describe('arguments', () => {
    it('defaults the directory to . and takes one', () => {
      expect(cli('types')).toMatchObject({ argument: '.' });
      expect(cli('types', 'samples/greeter', '--out', 'gen')).toMatchObject({ argument: 'samples/greeter', flags: { out: 'gen' } });
      expect(cli('start', '--', '--port')).toMatchObject({ argument: '--port', flags: {} });
    });

    it('refuses more than one', () => {
      expect(cli('start', 'a', 'b')).toEqual(usageError("too many arguments for 'start'. Expected 1 argument but got 2."));
    });

    it('takes the arguments a command lists after the first, with their defaults', () => {
      expect(cli('call', 'localhost:1', 'a.B/C')).toEqual({ command: 'call', argument: 'localhost:1', rest: ['a.B/C', '{}'], flags: {} });
      expect(cli('call', 'h:1', 'a.B/C', '{"x":1}', '-t', '5')).toMatchObject({ rest: ['a.B/C', '{"x":1}'], flags: { timeout: 5 } });
      expect(cli('call', 'h:1')).toEqual(usageError("missing required argument 'method'"));
      expect(cli('call', 'h:1', 'a.B/C', '{}', 'x')).toEqual(usageError("too many arguments for 'call'. Expected 3 arguments but got 4."));
    });

    it('collects every value of a repeatable option, in order', () => {
      expect(cli('call', 'h:1', 'a.B/C', '-H', 'a:1', '--header', 'b:2', '--header=c:3')).toMatchObject({
        flags: { header: ['a:1', 'b:2', 'c:3'] },
      });
    });

    it('asks for a required one', () => {
      const echo = defineCommand<{ loud?: boolean }>({
        name: 'echo',
        summary: 'print TEXT',
        help: 'Usage: krpc-app echo <text> [--loud]\n',
        argument: { name: 'text' },
        options: { loud: {} },
        run: async () => {},
      });
      const result = parseCommandLine({ ...program, commands: [echo] }, ['echo', '--loud']);
      expect(result).toEqual({ kind: 'print', stream: 'stderr', exitCode: 2, text: `error: missing required argument 'text'\n${USAGE}` });
      expect(parseCommandLine({ ...program, commands: [echo] }, ['echo', '-h'])).toMatchObject({
        text: 'Usage: krpc-app echo <text> [--loud]\n',
      });
    });
  });

  describe('commands', () => {
    it('refuses an unknown command, suggesting a close one', () => {
      expect(cli('launch')).toEqual(usageError("unknown command 'launch'"));
      expect(cli('strat')).toEqual(usageError("unknown command 'strat' (did you mean start?)"));
      expect(cli('help', 'bogus')).toEqual(usageError("unknown command 'bogus'"));
    });

    it('prints the help to stderr and exits 2 without a command', () => {
      const help = cli('--help');
      expect(cli()).toEqual({ stdout: '', stderr: help.stdout, code: 2 });
      expect(cli('--')).toEqual({ stdout: '', stderr: help.stdout, code: 2 });
    });
  });

  describe('help and version', () => {
    it('prints the program help naming every command, on -h, --help and help', () => {
      const help = cli('--help');
      expect(help).toMatchObject({ stderr: '', code: 0 });
      expect(help.stdout).toMatch(/^Usage: krpc-app <command> \[options\]\n/);
      // each command with every argument it takes, then its summary
      for (const command of program.commands) {
        const line = (help.stdout ?? '').split('\n').find((l) => l.startsWith(`  ${command.name} `)) ?? '';
        expect(line).toMatch(new RegExp(`^  ${command.name} ${literal(argumentsUsage(command))} +${literal(command.summary)}$`));
      }
      expect(cli('-h')).toEqual(help);
      expect(cli('help')).toEqual(help);
    });

    it("prints each command's help, which names every option it takes", () => {
      for (const command of program.commands) {
        const help = cli(command.name, '--help');
        expect(help).toEqual({ stdout: command.help, stderr: '', code: 0 });
        expect(help.stdout?.startsWith(`Usage: krpc-app ${command.name} ${argumentsUsage(command)} [options]\n`), command.name).toBe(true);
        for (const option of command.options) {
          const flags = option.short === undefined ? `--${option.long}` : `-${option.short}, --${option.long}`;
          expect(help.stdout, `${command.name} --help names ${flags}`).toContain(`  ${flags}`);
        }
        expect(help.stdout).toContain('  -h, --help');
        expect(cli(command.name, '-h')).toEqual(help);
        expect(cli('help', command.name)).toEqual(help);
      }
    });

    it('lets --help win over errors next to it', () => {
      expect(cli('start', '--bogus', '--help')).toEqual(cli('start', '--help'));
      expect(cli('start', 'a', 'b', '-h')).toEqual(cli('start', '--help'));
    });

    it('prints the version', () => {
      expect(cli('--version')).toEqual({ stdout: '1.2.3\n', stderr: '', code: 0 });
      expect(cli('-V')).toEqual(cli('--version'));
      expect(cli('-V', 'start')).toEqual(cli('--version'));
    });
  });
});

/** `text` as a literal inside a RegExp. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
