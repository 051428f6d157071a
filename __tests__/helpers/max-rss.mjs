// Loaded with `node --import` before a program: prints its peak resident set size on exit, as
// `max-rss-kib N` on stderr (process.resourceUsage().maxRSS, KiB), for memory bounds in tests.
process.on('exit', () => process.stderr.write(`max-rss-kib ${process.resourceUsage().maxRSS}\n`))
