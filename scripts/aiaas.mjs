#!/usr/bin/env node
// `npm run aiaas -- <command>`: the operator CLI, bundled afresh from its
// sources (scripts/lib/cli-bundle.mjs) and run in this process.
import { pathToFileURL } from "node:url";
import { bundleCli } from "./lib/cli-bundle.mjs";

await import(pathToFileURL(await bundleCli()).href);
