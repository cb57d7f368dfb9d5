import type { CaseName } from './cases.ts';
import { CRITERIA, type CriterionId } from './criteria.ts';
import type { QualityReport } from './quality-report-document.ts';
import type { QualityRow } from './quality-row.ts';
import type { CriterionResult } from './quality-summary.ts';

const SECTIONS: Readonly<
  Record<CaseName, { title: string; about: (report: QualityReport, rows: readonly QualityRow[]) => string }>
> = {
  'de-mastered': {
    title: '1. De-mastered pairs',
    about: (report) =>
      `Reference: the full mix (\`${report.filters.fullMix}\`). Target: the full mix through ` +
      `\`${report.filters.deMastering}\`. Lacquer with the reference (criterion a) and without it (b); ` +
      'tonal distance to the reference before (target) and after (output).',
  },
  cross: {
    title: '2. Cross pairs',
    about: () =>
      'Each full mix mastered with the next song of the corpus (cyclic) as reference; tonal distance ' +
      'to the reference before and after (criterion c: after ≤ ½ before).',
  },
  unmastered: {
    title: '3. Unmastered mixes',
    about: (report) =>
      `The stems summed with headroom (\`${report.filters.unmasteredMix}\`), mastered to each target. ` +
      'Tonal distance here is of the output from the input mix: how far the tone moved.',
  },
  long: {
    title: '4. Long file',
    about: (_, rows) =>
      `The unmastered mixes of the whole corpus one after the other, ${number((rows[0]?.inputSeconds ?? Number.NaN) / 60, 1)} min ` +
      '(Matchering stops at 15), mastered to −14 LUFS. Tonal distance: of the output from the input.',
  },
};

const CRITERION_LABELS: Readonly<Record<CriterionId, string>> = {
  a: 'a',
  b: 'b',
  c: 'c',
  'd-true-peak': 'd TP',
  'd-loudness': 'd I',
  'd-clipping': 'd clip',
};

/** `value` with `digits` decimals; `—` for none, `−inf` for silence. */
function number(value: number | null, digits: number): string {
  if (value === null || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value < 0 ? '−inf' : 'inf';
  return value.toFixed(digits);
}

/** Table cell text: no pipes or line breaks. */
const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll(/\s+/g, ' ');

const criterionDigits = (id: CriterionId) => (id === 'd-clipping' ? 0 : 3);

function checks(row: QualityRow): string {
  const failed = row.checks.filter((check) => !check.pass).map((check) => CRITERION_LABELS[check.criterion]);
  const verdict = row.error !== null ? 'ERROR' : failed.length === 0 ? 'pass' : `FAIL ${failed.join(', ')}`;
  const shown = row.processor === 'loudnorm' ? `(${verdict})` : verdict;
  if (row.error === null) return shown;
  // runMeasured's message starts with the whole command line: keep what it said.
  const said = row.error.replace(/^.*? exited (-?\d+|null): /s, 'exited $1: ');
  return `${shown}: ${cell(said).slice(0, 300)}`;
}

function caseTable(rows: readonly QualityRow[]): string[] {
  // Against a reference: before and after. Against the input: only how far the output moved.
  const toReference = rows[0]?.tonalAgainst === 'reference';
  const tonalHeads = toReference
    ? 'tonal to reference, before (dB) | tonal to reference, after (dB)'
    : 'tonal moved from input (dB)';
  const lines = [
    `| song(s) | processor | mode | target (LUFS) | ceiling (dBTP) | ${tonalHeads} | integrated (LUFS) | true peak (dBTP) | LRA (LU) | PLR (dB) | clipped samples | time (s) | peak memory (MB) | checks |`,
    `|---|---|---|--:|--:|${toReference ? '--:|--:' : '--:'}|--:|--:|--:|--:|--:|--:|--:|---|`,
  ];
  for (const row of rows) {
    const mode = row.loudnormNormalization ? `${row.mode} (${row.loudnormNormalization})` : row.mode;
    const tonal = toReference
      ? `${number(row.tonalBeforeDb, 2)} | ${number(row.tonalAfterDb, 2)}`
      : number(row.tonalAfterDb, 2);
    lines.push(
      `| ${cell(row.songs)} | ${row.processor} | ${mode} | ${row.targetLufs} | ${row.ceilingDbtp} | ${tonal} | ${number(row.integratedLufs, 2)} | ${number(row.truePeakDbtp, 2)} | ${number(row.loudnessRangeLu, 1)} | ${number(row.plrDb, 1)} | ${number(row.clippedSamples, 0)} | ${number(row.wallSeconds, 2)} | ${number(row.peakMemoryMb, 0)} | ${checks(row)} |`,
    );
  }
  return lines;
}

function result(value: CriterionResult | null, id: CriterionId): [string, string] {
  if (value === null) return ['—', '—'];
  const verdict = value.pass ? 'pass' : `FAIL (${value.failed} of ${value.rows})`;
  return [number(value.worst, criterionDigits(id)), verdict];
}

/** The report as Markdown: summary, medians, one table per case, definitions, machine. */
export function reportMarkdown(report: QualityReport): string {
  const { summary, machine } = report;
  const lacquerRuns = report.rows.filter((row) => row.processor === 'lacquer').length;
  const lines = [
    '# Lacquer mastering quality report',
    '',
    `**Lacquer: ${summary.pass ? 'PASS' : 'FAIL'}** · ${report.songs.length} song(s) · ${report.rows.length} runs ` +
      `(${lacquerRuns} Lacquer) · ${(report.totalSeconds / 60).toFixed(1)} min · ${report.generatedAt}`,
    '',
    '## Summary',
    '',
    'Worst value over the rows of each criterion (`value ≤ limit` passes). Only Lacquer’s rows decide; ' +
      'loudnorm’s are judged by the same d criteria for comparison.',
    '',
    '| criterion | value | limit | Lacquer rows | Lacquer worst | Lacquer | loudnorm worst | loudnorm |',
    '|---|---|--:|--:|--:|---|--:|---|',
  ];
  for (const criterion of summary.criteria) {
    const [lacquerWorst, lacquerVerdict] = result(criterion.lacquer, criterion.id);
    const [loudnormWorst, loudnormVerdict] = result(criterion.loudnorm, criterion.id);
    lines.push(
      `| ${CRITERION_LABELS[criterion.id]}: ${cell(criterion.description)} | ${cell(criterion.valueName)} | ${criterion.limit} | ${criterion.lacquer?.rows ?? 0} | ${lacquerWorst} | ${lacquerVerdict} | ${loudnormWorst} | ${loudnormVerdict} |`,
    );
  }
  lines.push(
    '',
    'Medians per run over the cases 1–3 (the long file left out), each run measured alone:',
    '',
    '| processor | runs | time (s) | peak memory, process tree (MB) |',
    '|---|--:|--:|--:|',
    ...summary.medians.map(
      (m) => `| ${m.processor} | ${m.rows} | ${number(m.wallSeconds, 2)} | ${number(m.peakMemoryMb, 0)} |`,
    ),
  );
  for (const [caseName, section] of Object.entries(SECTIONS) as [CaseName, (typeof SECTIONS)[CaseName]][]) {
    const rows = report.rows.filter((row) => row.caseName === caseName);
    if (rows.length === 0) continue;
    lines.push('', `## ${section.title}`, '', section.about(report, rows), '', ...caseTable(rows));
  }
  lines.push(
    '',
    '## Definitions',
    '',
    `${report.tonalDistanceDefinition} Integrated loudness, true peak and loudness range are ffmpeg’s ` +
      '(`ebur128=peak=true`); PLR is true peak − integrated loudness; clipped samples count the output’s ' +
      'samples with |x| ≥ 1.0 once decoded to float. Time is wall time from start to exit; memory the ' +
      'peak resident set of the whole process tree, sampled every 20 ms. loudnorm is ffmpeg two-pass ' +
      '(`LRA=11`, pass 2 `linear=true`, resampled with `-ar` to the input’s rate, 24-bit WAV), both passes ' +
      'summed; “dynamic” means it fell back from linear gain. Lacquer runs ' +
      '`node packages/cli/bin/lacquer.mjs master` with `--target-lufs` and `--ceiling-dbtp`. Criteria: ' +
      `${CRITERIA.map((criterion) => `${CRITERION_LABELS[criterion.id]}: ${criterion.description}`).join('; ')}.`,
    '',
    '## Machine',
    '',
    `${machine.cpuCount} × ${machine.cpuModel}, ${machine.memoryGb} GB; Node ${machine.node}; ${machine.ffmpeg}. ` +
      `Corpus: \`${report.corpusDir}\`.`,
    '',
  );
  return lines.join('\n');
}
