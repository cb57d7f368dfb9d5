// Worker entry when Lacquer runs from its TypeScript sources (tests, `tsx`): Node 20's worker
// threads do not inherit tsx's loader, so register it here, then load the real entry.
// Bundles start `dsp-worker.js` directly.
import { register } from 'tsx/esm/api';

register();
export const { analysis, power, peaks, truePeaks, frameAnalysis, masterPeaks } = await import(
  './dsp-worker.ts'
);
