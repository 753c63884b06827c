package cli

import "runtime/debug"

// DefaultGOGC is the garbage collector's target paylink serves with when GOGC is
// not set: a heap may grow to five times what is live before a collection
// instead of twice. paylink's live heap is small (tens of MB) and a link visit
// allocates a lot of short-lived garbage, so collections were about a quarter of
// its CPU at the default of 100; at 400 visits cost about a third less CPU.
// Set GOGC (and GOMEMLIMIT in a tight container) to choose otherwise.
const DefaultGOGC = 400

// TuneGC applies DefaultGOGC unless the GOGC environment variable is set (the Go
// runtime has read it already then). It returns the percentage in force.
func TuneGC(getenv func(string) string) int {
	if getenv("GOGC") != "" {
		pct := debug.SetGCPercent(100)
		debug.SetGCPercent(pct)
		return pct
	}
	debug.SetGCPercent(DefaultGOGC)
	return DefaultGOGC
}
