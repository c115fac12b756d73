// Compile fixtures/evm/contracts/*.sol with solcjs and write (or check) build.json.
// Run through scripts/solc.sh, which installs the pinned compiler.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import path from "node:path";

const [dir, solcDir, mode] = process.argv.slice(2);
const solc = createRequire(path.join(solcDir, "package.json"))("solc");

// Pinned with the compiler version: changing either changes every bytecode.
const settings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "prague",
  metadata: { bytecodeHash: "none", appendCBOR: false },
  outputSelection: { "*": { "*": ["evm.deployedBytecode.object"] } },
};

const sources = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith(".sol")).sort()) {
  sources[file] = { content: readFileSync(path.join(dir, file), "utf8") };
}
const output = JSON.parse(solc.compile(JSON.stringify({ language: "Solidity", sources, settings })));
const errors = (output.errors || []).filter((e) => e.severity === "error");
if (errors.length > 0) {
  for (const e of errors) console.error(e.formattedMessage);
  process.exit(1);
}

// Each contract's runtime bytecode goes to <Name>.bin (hex text, one line);
// build.json records the compiler, the settings and what each came from.
const files = {};
const contracts = {};
for (const [file, byName] of Object.entries(output.contracts).sort()) {
  for (const [name, out] of Object.entries(byName)) {
    if (out.evm.deployedBytecode.object.length === 0) continue; // interfaces
    const runtime = "0x" + out.evm.deployedBytecode.object + "\n";
    files[`${name}.bin`] = runtime;
    contracts[name] = {
      source: file,
      source_sha256: createHash("sha256").update(sources[file].content).digest("hex"),
      runtime: `${name}.bin`,
      runtime_bytes: out.evm.deployedBytecode.object.length / 2,
    };
  }
}
files["build.json"] = JSON.stringify({ compiler: "soljson-v" + solc.version(), settings, contracts }, null, 2) + "\n";

if (mode === "--check") {
  const differing = Object.entries(files)
    .filter(([name, text]) => {
      try {
        return readFileSync(path.join(dir, name), "utf8") !== text;
      } catch {
        return true;
      }
    })
    .map(([name]) => name);
  if (differing.length > 0) {
    console.error(`error: ${differing.join(", ")} in ${dir} differ from what solc ${solc.version()} compiles; run scripts/solc.sh and commit them`);
    process.exit(1);
  }
  console.log(`${dir}: ${Object.keys(contracts).length} contracts reproduced exactly by solc ${solc.version()}`);
} else {
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  console.log(`wrote ${Object.keys(files).join(", ")} to ${dir}`);
}
