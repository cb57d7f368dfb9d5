// `pnpm lint:docker`: lints docker/Dockerfile, docker/Dockerfile.cuda, docker/compose.yaml and
// docker/start-service.sh without Docker (none runs where this project is developed). Prints
// `file:line CODE message` per finding and exits 1 on any. The rules: dockerfile-lint/.
import { fileURLToPath } from 'node:url';
import { lintDeployFiles } from './dockerfile-lint/lint-deploy-files.ts';
import { formatFinding } from './dockerfile-lint/lint-finding.ts';

const findings = lintDeployFiles(fileURLToPath(new URL('../../', import.meta.url)));
for (const finding of findings) console.log(formatFinding(finding));
if (findings.length > 0) process.exitCode = 1;
else console.error('docker/: no findings');
