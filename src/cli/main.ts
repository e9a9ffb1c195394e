import { runCli } from './run-cli.ts'

// The CLI's entry point (bin/ecar.js, `npm run cli`): like src/main.ts, it is where the process
// environment is handed to the settings; runCli itself reads only what it is given.
// eslint-disable-next-line no-restricted-properties -- the entry point is where the environment comes in
const env = process.env

process.exitCode = await runCli(process.argv.slice(2), {
  env,
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  progress: (text) => process.stderr.write(text),
})
