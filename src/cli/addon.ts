/** `oktalint mitmproxy-addon`: where the mitmproxy addon that streams flows to `oktalint lint -` lives. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Command } from "commander";
import { EXIT_USAGE, out, printError, raiseExitCode } from "./io.js";

/**
 * The addon ships as Python source beside the TypeScript it belongs to
 * (package.json "files" lists it); from dist/src/cli/ that is three levels up.
 */
export function addonPath(): string {
  return fileURLToPath(new URL("../../../src/ingest/mitmproxy/oktalint_addon.py", import.meta.url));
}

export function registerAddon(program: Command): void {
  program
    .command("mitmproxy-addon")
    .description('print the path of the mitmproxy addon that streams each flow as it completes: mitmdump -s "$(oktalint mitmproxy-addon)" ... | oktalint lint -')
    .action(async () => {
      const path = addonPath();
      if (!existsSync(path)) {
        printError(`the mitmproxy addon is missing from this installation (expected ${path})`);
        raiseExitCode(EXIT_USAGE);
        return;
      }
      await out(path);
    });
}
