#!/usr/bin/env node
import { isLacquerError } from '@lacquer/errors';
import { Command, InvalidArgumentError } from 'commander';
import { failedJobsCommand, retryCommand } from './commands/admin-commands.ts';
import { analyzeCommand } from './commands/analyze-command.ts';
import { masterCommand } from './commands/master-command.ts';

/** Exit statuses: 1 for a failed job (the error code is printed), 2 for bad usage. */
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

function number(value: string): number {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError('not a number');
  return parsed;
}

function isCommanderExit(error: unknown): error is { code: string; exitCode: number } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('commander.');
}

const program = new Command('lacquer')
  .description('Lacquer: measure and master audio in-process (ITU-R BS.1770-4 / EBU R128)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('analyze')
  .description('measure loudness, true peak, spectrum, tempo and key of an audio file')
  .argument('<file>', 'any audio file ffmpeg reads')
  .option('--json', 'print one JSON object')
  .option('--series', 'add momentarySeries and shortTermSeries ([[tEndSeconds, LUFS], …], 10 ms hop)')
  .action(analyzeCommand);

program
  .command('master')
  .description('master a mix to a delivery target: master.wav, preview.mp3, analysis/decision/report JSON')
  .argument('<input>', 'the mix, any audio file ffmpeg reads (mono or stereo)')
  .requiredOption('--out <dir>', 'output folder (created if missing)')
  .option('--reference <file>', 'a finished track to match: tonal balance, width and density')
  .option(
    '--tone-amount <percent>',
    'with --reference: how much of its tonal balance to match, 0 … 100 (default 100)',
    number,
  )
  .option(
    '--width-amount <percent>',
    'with --reference: how much of its stereo width to match, 0 … 100 (default 100)',
    number,
  )
  .option(
    '--density-amount <percent>',
    'with --reference: how much of its density (PLR) to match, 0 … 100 (default 100)',
    number,
  )
  .option(
    '--style <name>',
    'without --reference: the tonal curve, balanced, warm or bright (default balanced)',
  )
  .option('--preset <name>', 'spotify, apple-music, youtube, amazon, tidal, deezer, soundcloud, cd-club')
  .option('--target-lufs <LUFS>', 'integrated loudness target, −40 … −5 (default −14)', number)
  .option('--ceiling-dbtp <dBTP>', 'true-peak ceiling, −9 … 0 (default −1)', number)
  .option(
    '--intensity <percent>',
    'without --reference: how much of the measured deviation to correct, 0 … 100 (default 100)',
    number,
  )
  .action(masterCommand);

const admin = program
  .command('admin')
  .description('operator commands against a running gateway (LACQUER_URL, LACQUER_ADMIN_API_KEY)');

admin
  .command('failed-jobs')
  .description('list failed jobs of every tenant, newest first')
  .option('--url <url>', 'the gateway (default $LACQUER_URL or http://127.0.0.1:8080)')
  .option('--admin-key <key>', 'the operator key (default $LACQUER_ADMIN_API_KEY)')
  .option('--limit <count>', 'at most this many jobs (default 100)', number)
  .option('--json', 'print a JSON array')
  .action(failedJobsCommand);

admin
  .command('retry')
  .description('run a failed job again from the step that failed, or every failed job with --all')
  .argument('[jobId]', 'the failed job')
  .option('--all', 'retry every failed job (up to 1000 per call)')
  .option('--url <url>', 'the gateway (default $LACQUER_URL or http://127.0.0.1:8080)')
  .option('--admin-key <key>', 'the operator key (default $LACQUER_ADMIN_API_KEY)')
  .action(retryCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (isLacquerError(error)) {
    process.stderr.write(`lacquer: error ${error.code}: ${error.message}\n`);
    process.exitCode = EXIT_FAILED;
  } else if (isCommanderExit(error)) {
    // commander has printed its message already; --help and --version exit 0.
    if (error.exitCode !== 0) process.stderr.write('lacquer: error CLI_USAGE: see the message above\n');
    process.exitCode = error.exitCode === 0 ? 0 : EXIT_USAGE;
  } else {
    process.stderr.write(
      `lacquer: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = EXIT_FAILED;
  }
}
