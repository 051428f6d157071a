/** The action's entry point (action.yml runs dist/index.js). */
import { run } from './main.js'
import { SIGNAL_EXIT } from './copy/interrupt.js'

await run()
// a cancelled job ends now, not when work the signal cannot stop ends (a cache restore's download:
// @actions/cache takes no signal); run() has written the error, the outputs and the summary
if (Object.values(SIGNAL_EXIT).includes(process.exitCode as number)) process.exit()
