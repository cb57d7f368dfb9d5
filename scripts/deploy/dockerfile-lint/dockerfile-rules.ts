import type { DockerfileRule } from './dockerfile-rule.ts';
import { lastUserNotRoot } from './rules/dl3002-last-user-not-root.ts';
import { workdirNotCd } from './rules/dl3003-workdir-not-cd.ts';
import { noSudo } from './rules/dl3004-no-sudo.ts';
import { imageTagged } from './rules/dl3006-image-tagged.ts';
import { noLatestTag } from './rules/dl3007-no-latest.ts';
import { aptListsRemoved } from './rules/dl3009-apt-lists-removed.ts';
import { aptGetYes } from './rules/dl3014-apt-get-yes.ts';
import { noInstallRecommends } from './rules/dl3015-no-install-recommends.ts';
import { npmPinned } from './rules/dl3016-npm-pinned.ts';
import { copyNotAdd } from './rules/dl3020-copy-not-add.ts';
import { copyFromStage } from './rules/dl3022-copy-from-stage.ts';
import { jsonCmdAndEntrypoint } from './rules/dl3025-json-cmd-entrypoint.ts';
import { aptGetNotApt } from './rules/dl3027-apt-get-not-apt.ts';
import { pipefail } from './rules/dl4006-pipefail.ts';
import { userSet } from './rules/lq001-user-set.ts';
import { workspaceManifestsCopied } from './rules/lq002-workspace-manifests-copied.ts';
import { copySourcesInContext } from './rules/lq003-copy-sources-in-context.ts';

/**
 * The hadolint rules (https://github.com/hadolint/hadolint#rules) that can be checked without
 * Docker or hadolint, and this project's own (`LQ…`), in code order.
 */
export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  lastUserNotRoot,
  workdirNotCd,
  noSudo,
  imageTagged,
  noLatestTag,
  aptListsRemoved,
  aptGetYes,
  noInstallRecommends,
  npmPinned,
  copyNotAdd,
  copyFromStage,
  jsonCmdAndEntrypoint,
  aptGetNotApt,
  pipefail,
  userSet,
  workspaceManifestsCopied,
  copySourcesInContext,
];
